-- +goose Up
-- The rules of each process's running deadlines, as its last step wrote them:
-- [{key, rule, due, calendar_version}]. A calendar revision recomputes them
-- here and signals only the processes whose deadlines move. NULL: written
-- before the rules were kept — such a process is signalled, as before.
ALTER TABLE brands ADD COLUMN deadline_rules jsonb;
ALTER TABLE applications ADD COLUMN deadline_rules jsonb;

-- +goose Down
ALTER TABLE applications DROP COLUMN deadline_rules;
ALTER TABLE brands DROP COLUMN deadline_rules;
