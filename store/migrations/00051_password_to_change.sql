-- +goose Up
-- An administrator's reset gives an account a temporary password, shown
-- once to the admin who hands it over: until its holder replaces it with
-- one only they know, the console lets that session do nothing else
-- (GB/T 22239-2019 8.1.4.1: the password is the person's own).
ALTER TABLE accounts ADD COLUMN password_to_change boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE accounts DROP COLUMN password_to_change;
