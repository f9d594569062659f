package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// ProcessRules is one open process's running deadlines as its last step
// wrote them.
type ProcessRules struct {
	ID string
	// RunID is the run that wrote the step, "" when the step did not say.
	RunID string
	// Rules is nil when the last step was written before rules were kept:
	// whether its deadlines move is then the process's to find out.
	Rules []records.DeadlineRule
}

// OpenProcessRules pages through the open applications ("application") or
// brands ("brand") that may have a running deadline, in id order after the
// id after. A row with rules [] has none; a row without rules and no stored
// deadline had none when it was written.
func (s *Store) OpenProcessRules(ctx context.Context, objectType, after string, limit int) ([]ProcessRules, error) {
	return s.processRules(ctx, objectType, `AND id > $1 ORDER BY id LIMIT $2`, after, limit)
}

// ProcessRulesOf is OpenProcessRules for the processes ids, in no order:
// a process that closed or has no running deadline any more is left out.
func (s *Store) ProcessRulesOf(ctx context.Context, objectType string, ids []string) ([]ProcessRules, error) {
	return s.processRules(ctx, objectType, `AND id = ANY($1)`, ids)
}

// processRules reads the rules of the open processes of objectType that
// the condition where (its arguments args) selects.
func (s *Store) processRules(ctx context.Context, objectType, where string, args ...any) ([]ProcessRules, error) {
	var query string
	switch objectType {
	case "application":
		query = `SELECT id, coalesce(run_id, ''), deadline_rules FROM applications
			WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn')
			  AND coalesce(deadline_rules, deadlines) <> '[]'::jsonb `
	case "brand":
		query = `SELECT id, coalesce(run_id, ''), deadline_rules FROM brands
			WHERE status <> 'removed'
			  AND coalesce(deadline_rules, deadlines) <> '[]'::jsonb `
	default:
		return nil, fmt.Errorf("open process rules: unknown object type %q", objectType)
	}
	rows, err := s.pool.Query(ctx, query+where, args...)
	if err != nil {
		return nil, fmt.Errorf("open %s rules: %w", objectType, err)
	}
	defer rows.Close()
	var out []ProcessRules
	for rows.Next() {
		var p ProcessRules
		var raw []byte
		if err := rows.Scan(&p.ID, &p.RunID, &raw); err != nil {
			return nil, err
		}
		if raw != nil {
			p.Rules = []records.DeadlineRule{}
			if err := json.Unmarshal(raw, &p.Rules); err != nil {
				return nil, fmt.Errorf("%s %s rules: %w", objectType, p.ID, err)
			}
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// rulesOrNil is the deadline_rules value of a step: NULL when the step
// carries none (scheduled before rules were kept).
func rulesOrNil(r []records.DeadlineRule) []byte {
	if r == nil {
		return nil
	}
	b, _ := json.Marshal(r)
	return b
}
