package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// nameKeyMigration is migration 11, in Go because the key is: it fills the
// name_key columns that 00010_name_key.sql added, then makes them required
// and indexes them (RULES §3, one name, one brand).
var nameKeyMigration = goose.NewGoMigration(11,
	&goose.GoFunc{RunTx: fillNameKeys},
	&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			DROP INDEX applications_open_name_key;
			CREATE UNIQUE INDEX applications_open_name ON applications (lower(brand_name))
			    WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn');
			DROP INDEX brands_name_key;
			DROP INDEX bans_name_key;
			CREATE INDEX bans_name ON bans (lower(brand_name));
			ALTER TABLE applications ALTER COLUMN name_key DROP NOT NULL;
			ALTER TABLE brands ALTER COLUMN name_key DROP NOT NULL;
			ALTER TABLE bans ALTER COLUMN name_key DROP NOT NULL;`)
		return err
	}})

func fillNameKeys(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []struct{ table, id, name string }{
		{"applications", "id", "brand_name"}, {"brands", "id", "name"}, {"bans", "id::text", "brand_name"},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT `+t.id+`, `+t.name+` FROM `+t.table+` WHERE name_key IS NULL`)
		if err != nil {
			return err
		}
		keys := map[string]string{}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			keys[id] = namekey.Key(name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id, key := range keys {
			if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET name_key = $2 WHERE `+t.id+` = $1`, id, key); err != nil {
				return fmt.Errorf("name key of %s %s: %w", t.table, id, err)
			}
		}
	}
	// Open applications whose names were different as typed but are one
	// name by their key cannot both stay open: say which, rather than fail
	// on the index.
	var clashes []string
	rows, err := tx.QueryContext(ctx, `SELECT string_agg(id || ' ' || brand_name, ', ') FROM applications
		WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn') GROUP BY name_key HAVING count(*) > 1`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		clashes = append(clashes, c)
	}
	rows.Close()
	if len(clashes) > 0 {
		return fmt.Errorf("open applications share a brand name once look-alikes are folded (RULES §3; withdraw or rename one of each): %s",
			strings.Join(clashes, "; "))
	}
	_, err = tx.ExecContext(ctx, `
		ALTER TABLE applications ALTER COLUMN name_key SET NOT NULL;
		ALTER TABLE brands ALTER COLUMN name_key SET NOT NULL;
		ALTER TABLE bans ALTER COLUMN name_key SET NOT NULL;
		DROP INDEX applications_open_name;
		CREATE UNIQUE INDEX applications_open_name_key ON applications (name_key)
		    WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn');
		CREATE INDEX brands_name_key ON brands (name_key);
		DROP INDEX bans_name;
		CREATE INDEX bans_name_key ON bans (name_key);`)
	return err
}
