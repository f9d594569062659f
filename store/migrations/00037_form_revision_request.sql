-- +goose Up
-- A resubmission's revision is named by the request that stored it (the
-- API's recordID, from its Idempotency-Key): a retry after a lost answer
-- finds that revision instead of storing a second one, and a key sent again
-- with another 推荐表 is told so. Revisions stored before, and those sent
-- without a key, have none (NULLs are distinct: no conflict between them).
ALTER TABLE application_forms ADD COLUMN request_id text;
CREATE UNIQUE INDEX application_forms_request ON application_forms (application_id, request_id);

-- +goose Down
DROP INDEX application_forms_request;
ALTER TABLE application_forms DROP COLUMN request_id;
