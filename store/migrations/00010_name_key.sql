-- +goose Up

-- One name, one brand (RULES §3): brand names are compared by a canonical
-- key (internal/domain/namekey: NFKC, invisible characters removed,
-- look-alike letters folded, case folded), not as typed. The key is computed
-- in Go, so migration 11 (store/name_key_migration.go) fills it in for the
-- rows already stored, makes it required and moves the uniqueness of open
-- applications' names and the ban look-up onto it.
ALTER TABLE applications ADD COLUMN name_key text;
ALTER TABLE brands ADD COLUMN name_key text;
ALTER TABLE bans ADD COLUMN name_key text;

-- +goose Down
ALTER TABLE bans DROP COLUMN name_key;
ALTER TABLE brands DROP COLUMN name_key;
ALTER TABLE applications DROP COLUMN name_key;
