-- +goose Up
-- An objection received on a day whose objections were all ruled is stored
-- open, and its process must be told to open the day's ruling clock again.
-- untold marks one whose telling has not yet been answered (a 503 never
-- retried, the API stopped): the starter's sweep and the notice's end tell
-- it, as they tell drafts, so that the application is never admitted over
-- it. Objections stored before this column were told as they came.
ALTER TABLE objections ADD COLUMN untold boolean NOT NULL DEFAULT false;
CREATE INDEX objections_untold ON objections (received_on, application_id) WHERE status = 'open' AND untold;

-- +goose Down
DROP INDEX objections_untold;
ALTER TABLE objections DROP COLUMN untold;
