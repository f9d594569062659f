-- +goose Up
-- The newest calendar version whose fan-out has told every process it moves
-- (activities.SignalOpenProcesses): until then a deadline recorded as
-- provisional is shown as recorded, for its day may yet move. A deployment
-- migrating has told its processes of every version already.
ALTER TABLE calendar_version ADD COLUMN fanned_out integer NOT NULL DEFAULT 0;
UPDATE calendar_version SET fanned_out = version;

-- +goose Down
ALTER TABLE calendar_version DROP COLUMN fanned_out;
