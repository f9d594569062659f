-- +goose Up
-- The confirmation of a holder's e-mail address (issue 16 item 1), when an
-- SMTP relay is configured and the registrant gave an address: a link
-- carrying a random token is mailed; only the token's SHA-256 is kept, so
-- a copy of the table confirms nobody. A row is good until expires_at and
-- once: confirming deletes every row of the holder. A link confirms only
-- the address it was mailed to (address): after the registrant corrects a
-- mistyped address, the links mailed to the old one confirm nothing.
-- sent_at bounds how often a link may be sent again.
CREATE TABLE holder_confirmations (
    token_hash  bytea PRIMARY KEY,
    uscc        text NOT NULL REFERENCES holder_registrations (uscc) ON DELETE CASCADE,
    address     text NOT NULL,
    sent_at     timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX holder_confirmations_uscc ON holder_confirmations (uscc, sent_at);

-- +goose Down
DROP TABLE holder_confirmations;
