-- +goose Up
-- An assessment's findings made while the brand already rectifies or is
-- suspended join what runs instead of an order of their own (RULES §4):
-- the brand's page must not show them as ordered. joined names what they
-- joined; NULL is a finding that made its own order. Those recorded before
-- the column are found by their history line, written in the same step.
ALTER TABLE findings ADD COLUMN joined text CHECK (joined IN ('rectification', 'suspension'));
UPDATE findings f SET joined = CASE WHEN e.note LIKE '%评估发现的问题并入正在进行的%' THEN 'rectification' ELSE 'suspension' END
  FROM brand_events e
 WHERE e.brand_id = f.brand_id AND e.at = f.at AND e.action = 'evaluation.findings'
   AND (e.note LIKE '%评估发现的问题并入正在进行的%' OR e.note LIKE '%评估发现的问题并入暂停处理%');

-- +goose Down
ALTER TABLE findings DROP COLUMN joined;
