// Package migrations embeds the SQL migrations of the registry database.
// Files are applied in order by goose (store.Migrate); a file, once released,
// is never edited — a change is a new file.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
