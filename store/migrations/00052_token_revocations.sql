-- +goose Up
-- A bearer token is checked by its signature alone, so one that leaked —
-- a county bureau's integration token copied into a ticket, a laptop lost —
-- would stay good until it expired (LB_TOKEN_MAX_TTL, 30 days). An operator
-- revokes every token of a subject issued before an instant (laborbrand
-- token revoke); tokens minted afterwards are good again. Revoking all of
-- them is changing LB_JWT_SECRET.
CREATE TABLE token_revocations (
    sub            text PRIMARY KEY,
    revoked_before timestamptz NOT NULL
);

-- +goose Down
DROP TABLE token_revocations;
