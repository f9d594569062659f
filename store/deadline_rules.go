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
	// Rules is nil when the last step was written before rules were kept:
	// whether its deadlines move is then the process's to find out.
	Rules []records.DeadlineRule
}

// OpenProcessRules pages through the open applications ("application") or
// brands ("brand") that may have a running deadline, in id order after the
// id after. A row with rules [] has none; a row without rules and no stored
// deadline had none when it was written.
func (s *Store) OpenProcessRules(ctx context.Context, objectType, after string, limit int) ([]ProcessRules, error) {
	var query string
	switch objectType {
	case "application":
		query = `SELECT id, deadline_rules FROM applications
			WHERE stage NOT IN ('admitted', 'rejected', 'withdrawn') AND id > $1
			  AND coalesce(deadline_rules, deadlines) <> '[]'::jsonb
			ORDER BY id LIMIT $2`
	case "brand":
		query = `SELECT id, deadline_rules FROM brands
			WHERE status <> 'removed' AND id > $1
			  AND coalesce(deadline_rules, deadlines) <> '[]'::jsonb
			ORDER BY id LIMIT $2`
	default:
		return nil, fmt.Errorf("open process rules: unknown object type %q", objectType)
	}
	rows, err := s.pool.Query(ctx, query, after, limit)
	if err != nil {
		return nil, fmt.Errorf("open %s rules: %w", objectType, err)
	}
	defer rows.Close()
	var out []ProcessRules
	for rows.Next() {
		var p ProcessRules
		var raw []byte
		if err := rows.Scan(&p.ID, &raw); err != nil {
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
