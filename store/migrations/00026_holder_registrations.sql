-- +goose Up
-- A brand holder's self-registration in the console (issue 16 item 1): one
-- per USCC — the unit's first account and its contact details. Further users
-- of the same holder are added by an admin (`laborbrand user add --role
-- applicant --uscc …`) when the holder asks, and have no row here.
CREATE TABLE holder_registrations (
    uscc          text PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id),
    unit_name     text NOT NULL,
    contact_name  text NOT NULL,
    contact_phone text NOT NULL,
    contact_email text NOT NULL DEFAULT '',
    registered_at timestamptz NOT NULL,
    -- confirmed_at: when the e-mail or phone was confirmed; set at once when
    -- no delivery channel is configured (then the page says so).
    confirmed_at  timestamptz
);

-- +goose Down
DROP TABLE holder_registrations;
