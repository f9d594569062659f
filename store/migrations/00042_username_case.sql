-- +goose Up
-- A user name is one name whatever its letters' case: "Lotus" is not a
-- second account beside "lotus", and signing in as either finds the one.
-- Names differing only in case, registered before, stop the upgrade with
-- their names, for an administrator to rename one of each pair first.
-- +goose StatementBegin
DO $$
DECLARE
	clashes text;
BEGIN
	SELECT string_agg(names, '; ') INTO clashes FROM (
		SELECT string_agg(username, ', ' ORDER BY username) AS names FROM accounts
		GROUP BY lower(username) HAVING count(*) > 1) AS c;
	IF clashes IS NOT NULL THEN
		RAISE EXCEPTION 'user names differing only in case: %; rename one of each before upgrading', clashes;
	END IF;
END $$;
-- +goose StatementEnd
CREATE UNIQUE INDEX accounts_username_folded ON accounts (lower(username));

-- +goose Down
DROP INDEX accounts_username_folded;
