-- +goose Up
-- A brand's process reads its oldest report (举报) waiting for triage each
-- time one is filed or triaged (RULES §4: reports in triage are an open
-- matter, its deadline kept by the oldest).
CREATE INDEX reports_open_by_brand ON reports (brand_id, received_at, id) WHERE status = 'open';

-- +goose Down
DROP INDEX reports_open_by_brand;
