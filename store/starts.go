package store

import (
	"context"
	"encoding/json"
	"time"
)

// PendingStart is a stored submission whose process has not been marked
// started.
type PendingStart struct {
	ApplicationID string
	Input         json.RawMessage
}

// PendingStarts lists up to limit submissions stored at least grace ago
// whose process is not marked started, oldest first. grace leaves the API
// the time to start the process it has just committed.
func (s *Store) PendingStarts(ctx context.Context, grace time.Duration, limit int) ([]PendingStart, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT application_id, input FROM application_starts
		WHERE started_at IS NULL AND created_at <= now() - make_interval(secs => $1)
		ORDER BY created_at LIMIT $2`, grace.Seconds(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PendingStart
	for rows.Next() {
		var p PendingStart
		if err := rows.Scan(&p.ApplicationID, &p.Input); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// MarkStarted notes that the application's process runs. Marking twice is
// harmless: the first time is kept.
func (s *Store) MarkStarted(ctx context.Context, applicationID string) error {
	_, err := s.pool.Exec(ctx, `UPDATE application_starts SET started_at = now()
		WHERE application_id = $1 AND started_at IS NULL`, applicationID)
	return err
}
