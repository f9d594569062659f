-- +goose Up
-- A delivery given up for good — every mailbox of a mail refused as not
-- existing — was still counted in the deliveries backlog for its three
-- days, though nothing would ever deliver it: given_up_at marks it settled.
-- started_at is its first attempt: a delivery begun late (its message
-- written long before) is retried for three days from then, and counted in
-- the backlog as long. Rows from before have neither, and count from their
-- message's writing as they did: no default is written into them.
ALTER TABLE deliveries ADD COLUMN given_up_at timestamptz;
ALTER TABLE deliveries ADD COLUMN started_at timestamptz;
ALTER TABLE deliveries ALTER COLUMN started_at SET DEFAULT now();

-- +goose Down
ALTER TABLE deliveries DROP COLUMN started_at;
ALTER TABLE deliveries DROP COLUMN given_up_at;
