-- +goose Up
-- A report found founded for the reason a suspension proposal already
-- waits on joins that proposal (RULES §4): the city decides it once. Before,
-- its triage was refused as a second proposal, and the report could only be
-- dismissed — recorded 不予立案 though it was founded.
ALTER TABLE findings DROP CONSTRAINT findings_joined_check;
ALTER TABLE findings ADD CONSTRAINT findings_joined_check CHECK (joined IN ('rectification', 'suspension', 'suspension_proposal'));

-- +goose Down
-- The nearest the old values say: joined to the suspension's handling.
UPDATE findings SET joined = 'suspension' WHERE joined = 'suspension_proposal';
ALTER TABLE findings DROP CONSTRAINT findings_joined_check;
ALTER TABLE findings ADD CONSTRAINT findings_joined_check CHECK (joined IN ('rectification', 'suspension'));
