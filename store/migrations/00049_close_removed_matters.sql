-- +goose Up
-- A removal closes every matter (RULES §4). From this release it closes
-- on record the change requests and reports it finds open; those of brands
-- removed before stay 待审核 and 待处理 in every officer's list, and are
-- closed here as of their brand's removal.
UPDATE brand_changes c SET status = 'closed', decided_at = (b.removed_on::timestamp AT TIME ZONE 'Asia/Shanghai')
FROM brands b WHERE b.id = c.brand_id AND b.status = 'removed' AND c.status IN ('county', 'city');

UPDATE reports r SET status = 'closed', triage_note = '品牌已移出项目库，不再办理',
    triaged_at = (b.removed_on::timestamp AT TIME ZONE 'Asia/Shanghai'), triaged_by = 'system'
FROM brands b WHERE b.id = r.brand_id AND b.status = 'removed' AND r.status = 'open';

-- +goose Down
-- The rows closed here are not told apart from those closed by a removal
-- since: nothing is reopened.
SELECT 1;
