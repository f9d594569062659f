package store

import (
	"context"
	"time"
)

// SentDecision is a decision sent to a process whose writes are not known
// to be on record: its caller noted it, and has not yet forgotten it.
type SentDecision struct {
	UpdateID   string
	WorkflowID string
}

// NoteDecisionSent notes, before the API sends it, that the decision
// updateID goes to workflowID. A retried request sends the same Update
// again, and its note starts over.
func (s *Store) NoteDecisionSent(ctx context.Context, updateID, workflowID string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO decisions_sent (update_id, workflow_id) VALUES ($1, $2)
		ON CONFLICT (update_id) DO UPDATE SET workflow_id = EXCLUDED.workflow_id, sent_at = now()`, updateID, workflowID)
	return err
}

// ForgetDecisionSent forgets the note of a decision whose writes are on
// record, or that was refused; forgetting twice is harmless.
func (s *Store) ForgetDecisionSent(ctx context.Context, updateID string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM decisions_sent WHERE update_id = $1`, updateID)
	return err
}

// PostponeDecisionSent notes the decision afresh, as sent now: the sweep
// could not settle it yet, and takes the others first next time.
func (s *Store) PostponeDecisionSent(ctx context.Context, updateID string) error {
	_, err := s.pool.Exec(ctx, `UPDATE decisions_sent SET sent_at = now() WHERE update_id = $1`, updateID)
	return err
}

// DecisionsUnwritten lists up to limit decisions sent at least grace ago
// and not forgotten, oldest first. grace leaves the API the time to finish
// the decision it sent.
func (s *Store) DecisionsUnwritten(ctx context.Context, grace time.Duration, limit int) ([]SentDecision, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT update_id, workflow_id FROM decisions_sent
		WHERE sent_at <= now() - make_interval(secs => $1)
		ORDER BY sent_at LIMIT $2`, grace.Seconds(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SentDecision
	for rows.Next() {
		var d SentDecision
		if err := rows.Scan(&d.UpdateID, &d.WorkflowID); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
