-- +goose Up
-- The city's ruling on an objection that its application's process acts on
-- (an objection upheld, a day's last one ruled) is stored with the Update
-- that tells it, as a holder's records are: a telling that failed is made
-- again by the starter's sweep. A ruling stands whatever the process
-- answers; only its row here goes.
ALTER TABLE untold_updates DROP CONSTRAINT untold_updates_record_kind_check;
ALTER TABLE untold_updates ADD CONSTRAINT untold_updates_record_kind_check
    CHECK (record_kind IN ('change', 'evaluation', 'ruling'));

-- +goose Down
DELETE FROM untold_updates WHERE record_kind = 'ruling';
ALTER TABLE untold_updates DROP CONSTRAINT untold_updates_record_kind_check;
ALTER TABLE untold_updates ADD CONSTRAINT untold_updates_record_kind_check
    CHECK (record_kind IN ('change', 'evaluation'));
