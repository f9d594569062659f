-- +goose Up
-- The role a supplement was stored under: a city officer may enter one on
-- the holder's behalf (代录), and a supplement taken as its wait ran out
-- (stored in time, never told to its process) is recorded under the role
-- that stored it, as one told at once is. Rows from before have none and
-- are taken as the holder's, as they were.
ALTER TABLE application_forms ADD COLUMN created_role text;

-- +goose Down
ALTER TABLE application_forms DROP COLUMN created_role;
