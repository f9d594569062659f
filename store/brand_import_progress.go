package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ImportProgress is how far an import of brands has come (issue 14 item 4),
// by the SHA-256 of its sheet. Rows of the sheet are checked, the valid
// ones started (or found already there, or failed to start), and the
// started ones write their records.
type ImportProgress struct {
	Sheet     string    `json:"sheet"`
	DryRun    bool      `json:"dry_run"`
	Rows      int       `json:"rows"`     // data rows in the sheet
	Checked   int       `json:"checked"`  // rows checked so far
	Valid     int       `json:"valid"`    // rows without errors, once all are checked
	Started   int       `json:"started"`  // brand processes this run started
	Already   int       `json:"already"`  // valid rows whose brand an earlier upload brought
	Failed    int       `json:"failed"`   // valid rows whose process could not be started
	Recorded  int       `json:"recorded"` // started brands whose record is written
	Done      bool      `json:"done"`     // the import has answered
	Actor     string    `json:"-"`
	BeganAt   time.Time `json:"began_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// importProgressKept is how long a run's progress stays after its last
// update.
const importProgressKept = 7 * 24 * time.Hour

// importAlive: an import not done whose progress was written this recently
// is running (it writes every half second); one silent for longer died
// with its replica.
const importAlive = time.Minute

// BeginImport records a run of p.Sheet beginning, replacing an earlier
// run's progress of the same sheet — but for a dry run, an import of that
// sheet still running (not done, written within importAlive): its progress
// is what the clerk who began it is watching, and its writes go to its own
// run only — and deletes the progress of runs not updated for a week.
func (s *Store) BeginImport(ctx context.Context, p ImportProgress) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM brand_import_progress WHERE updated_at < $1`, p.BeganAt.Add(-importProgressKept))
	if err != nil {
		return fmt.Errorf("import progress: %w", err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO brand_import_progress (sheet, dry_run, actor, total_rows, began_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (sheet) DO UPDATE SET dry_run = EXCLUDED.dry_run, actor = EXCLUDED.actor,
		total_rows = EXCLUDED.total_rows, checked = 0, valid = 0, started = 0, already = 0, failed = 0, recorded = 0, done = false,
		began_at = EXCLUDED.began_at, updated_at = EXCLUDED.updated_at
		WHERE NOT (EXCLUDED.dry_run AND NOT brand_import_progress.dry_run AND NOT brand_import_progress.done
			AND brand_import_progress.updated_at > EXCLUDED.began_at - $6::interval)`,
		p.Sheet, p.DryRun, p.Actor, p.Rows, p.BeganAt, importAlive)
	if err != nil {
		return fmt.Errorf("import progress %s: %w", p.Sheet, err)
	}
	return nil
}

// UpdateImport writes p's counts, when p is the run that began at
// p.BeganAt (a later run of the same sheet has replaced it otherwise).
func (s *Store) UpdateImport(ctx context.Context, p ImportProgress) error {
	_, err := s.pool.Exec(ctx, `UPDATE brand_import_progress SET checked = $3, valid = $4, started = $5, already = $6,
		failed = $7, recorded = $8, done = $9, updated_at = $10 WHERE sheet = $1 AND began_at = $2`,
		p.Sheet, p.BeganAt, p.Checked, p.Valid, p.Started, p.Already, p.Failed, p.Recorded, p.Done, p.UpdatedAt)
	if err != nil {
		return fmt.Errorf("import progress %s: %w", p.Sheet, err)
	}
	return nil
}

// ImportProgressOf is the latest run of sheet, or ErrNotFound.
func (s *Store) ImportProgressOf(ctx context.Context, sheet string) (ImportProgress, error) {
	p := ImportProgress{Sheet: sheet}
	err := s.pool.QueryRow(ctx, `SELECT dry_run, actor, total_rows, checked, valid, started, already, failed, recorded, done,
		began_at, updated_at FROM brand_import_progress WHERE sheet = $1`, sheet).Scan(&p.DryRun, &p.Actor, &p.Rows, &p.Checked,
		&p.Valid, &p.Started, &p.Already, &p.Failed, &p.Recorded, &p.Done, &p.BeganAt, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("import progress %s: %w", sheet, err)
	}
	return p, nil
}

// importSheetKept is how long a checked sheet waits for its import.
const importSheetKept = 24 * time.Hour

// KeepImportSheet keeps the sheet an account checked until it confirms
// the import, replacing the one it kept before; sheets kept longer than a
// day are deleted.
func (s *Store) KeepImportSheet(ctx context.Context, accountID int64, sheet string, content []byte, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM brand_import_sheets WHERE kept_at < $1`, at.Add(-importSheetKept)); err != nil {
		return fmt.Errorf("import sheet: %w", err)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO brand_import_sheets (account_id, sheet, content, kept_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id) DO UPDATE SET sheet = EXCLUDED.sheet, content = EXCLUDED.content, kept_at = EXCLUDED.kept_at`,
		accountID, sheet, content, at)
	if err != nil {
		return fmt.Errorf("import sheet: %w", err)
	}
	return nil
}

// KeptImportSheet is the sheet the account checked, if its hash is sheet,
// or ErrNotFound.
func (s *Store) KeptImportSheet(ctx context.Context, accountID int64, sheet string) ([]byte, error) {
	var content []byte
	err := s.pool.QueryRow(ctx, `SELECT content FROM brand_import_sheets WHERE account_id = $1 AND sheet = $2`,
		accountID, sheet).Scan(&content)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("import sheet: %w", err)
	}
	return content, nil
}

// DropImportSheet deletes the account's kept sheet once it is imported.
func (s *Store) DropImportSheet(ctx context.Context, accountID int64, sheet string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM brand_import_sheets WHERE account_id = $1 AND sheet = $2`, accountID, sheet); err != nil {
		return fmt.Errorf("import sheet: %w", err)
	}
	return nil
}
