-- +goose Up

-- Official holiday schedules loaded by an admin (国务院办公厅关于部分节假日安排的通知).
-- They take precedence over the schedules embedded in the code. Every load
-- gets the next calendar version; a deadline records the version it used.
CREATE TABLE calendar_years (
    year      int PRIMARY KEY CHECK (year BETWEEN 1900 AND 2200),
    off_days  date[] NOT NULL,
    work_days date[] NOT NULL,
    notice    text NOT NULL,
    version   int NOT NULL UNIQUE,
    loaded_at timestamptz NOT NULL,
    loaded_by text NOT NULL
);
CREATE SEQUENCE calendar_version_seq;

-- Local off days of one county (少数民族节日; RULES §5). None by default.
CREATE TABLE calendar_county_days (
    county_code text NOT NULL,
    day         date NOT NULL,
    name        text NOT NULL,
    PRIMARY KEY (county_code, day)
);

-- +goose Down
DROP TABLE calendar_county_days;
DROP SEQUENCE calendar_version_seq;
DROP TABLE calendar_years;
