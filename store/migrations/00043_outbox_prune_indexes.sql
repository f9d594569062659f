-- +goose Up
-- The outbox's prune deletes a message's read marks and delivery logs by
-- message id, and deleting the message checks both for rows naming it:
-- without these each deleted message scanned both tables, and a batch after
-- a long outage could outlast its activity's timeout and never finish.
CREATE INDEX inbox_reads_message ON inbox_reads (message_id);
CREATE INDEX deliveries_message ON deliveries (message_id);

-- +goose Down
DROP INDEX deliveries_message;
DROP INDEX inbox_reads_message;
