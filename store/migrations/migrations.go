// Package migrations embeds the SQL migrations of the registry database.
// Files are applied in order by goose (store.Migrate); a file, once released,
// is never edited — a change is a new file. A migration that needs Go is
// registered by store.Migrate under its version (11: the brand name keys,
// store/name_key_migration.go); its number is not used by a file here.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
