-- +goose Up
-- The run of each open process that wrote its last step. A calendar
-- revision addresses its Update to this run, which spares Temporal a read
-- of the workflow's current run for each process it tells; when the run has
-- continued as new since, the fan-out asks again without it. NULL for rows
-- written before (and by a step that carries no run).
ALTER TABLE brands ADD COLUMN run_id text;
ALTER TABLE applications ADD COLUMN run_id text;

-- +goose Down
ALTER TABLE applications DROP COLUMN run_id;
ALTER TABLE brands DROP COLUMN run_id;
