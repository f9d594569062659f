-- +goose Up
-- Confirmation mails are limited per address too (whoever registers): an
-- address anyone may type into a registration is not mailed without end.
CREATE INDEX holder_confirmations_address ON holder_confirmations (lower(address), sent_at);

-- +goose Down
DROP INDEX holder_confirmations_address;
