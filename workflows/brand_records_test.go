package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// What a brand's process leaves in PostgreSQL, read as the API reads it.

// events lists the brand's history (brand_events), in order.
func (h *brandHarness) events() []event {
	h.t.Helper()
	rows, err := h.store.Pool().Query(context.Background(),
		`SELECT at, actor, role, action, note FROM brand_events WHERE brand_id = $1 ORDER BY id`, h.in.BrandID)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []event
	for rows.Next() {
		var e event
		if err := rows.Scan(&e.At, &e.Actor, &e.Role, &e.Action, &e.Note); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// actions lists the brand's history as "YYYY-MM-DD HH:MM role action" lines.
func (h *brandHarness) actions() []string { return lines(h.events()) }

// brandRow is the brand record as the API reads it.
type brandRow struct {
	Status          string
	Name            string
	SuspensionCount int
	Rectification   map[string]any
	Suspension      map[string]string
	Pending         map[string]string
	Deadlines       []calendar.Deadline
	NextEvaluation  string
	RemovedOn       string
	ReapplyAfter    string
}

func (h *brandHarness) row() brandRow {
	h.t.Helper()
	var r brandRow
	var rect, susp, pending, deadlines []byte
	err := h.store.Pool().QueryRow(context.Background(), `
		SELECT status, name, suspension_count, rectification, suspension, pending_decision, deadlines,
		       coalesce(to_char(next_evaluation_due, 'YYYY-MM-DD'), ''), coalesce(to_char(removed_on, 'YYYY-MM-DD'), ''),
		       coalesce(to_char(reapply_after, 'YYYY-MM-DD'), '')
		FROM brands WHERE id = $1`, h.in.BrandID).
		Scan(&r.Status, &r.Name, &r.SuspensionCount, &rect, &susp, &pending, &deadlines, &r.NextEvaluation, &r.RemovedOn, &r.ReapplyAfter)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, f := range []struct {
		raw []byte
		v   any
	}{{rect, &r.Rectification}, {susp, &r.Suspension}, {pending, &r.Pending}, {deadlines, &r.Deadlines}} {
		if len(f.raw) > 0 {
			if err := json.Unmarshal(f.raw, f.v); err != nil {
				h.t.Fatalf("brand row: %v", err)
			}
		}
	}
	return r
}

// strings lists the rows of query (one text column) for the brand.
func (h *brandHarness) strings(query string) []string {
	h.t.Helper()
	rows, err := h.store.Pool().Query(context.Background(), query, h.in.BrandID)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// announcements lists the brand's published decisions as "kind decided_on
// effective_until".
func (h *brandHarness) announcements() []string {
	return h.strings(`SELECT kind || ' ' || decided_on || ' ' || coalesce(effective_until::text, '-')
		FROM announcements WHERE brand_id = $1 ORDER BY id`)
}

// bans lists the bans removal of the brand added as "name uscc decided_on
// until reason".
func (h *brandHarness) bans() []string {
	return h.strings(`SELECT brand_name || ' ' || uscc || ' ' || decided_on || ' ' || until || ' ' || reason
		FROM bans WHERE brand_id = $1 ORDER BY id`)
}

// findings lists the brand's findings as "id reason level ordered_on actor".
func (h *brandHarness) findings() []string {
	return h.strings(`SELECT id || ' ' || reason || ' ' || level || ' ' || ordered_on || ' ' || actor
		FROM findings WHERE brand_id = $1 ORDER BY at, id`)
}

// audits lists the brand's audit entries as "YYYY-MM-DD HH:MM actor role
// action" (Asia/Shanghai).
func (h *brandHarness) audits() []string {
	return h.strings(`SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' ' || actor || ' ' || role || ' ' || action
		FROM audit_log WHERE object_type = 'brand' AND object_id = $1 ORDER BY id`)
}

// fileEvaluation stores an evaluation report as the API does before it
// tells the process.
func (h *brandHarness) fileEvaluation(id, period string, when time.Time) {
	h.t.Helper()
	_, err := h.store.Pool().Exec(context.Background(), `INSERT INTO evaluations (id, brand_id, period, report, filed_at)
		VALUES ($1, $2, $3, '{"violations": "无"}', $4)`, id, h.in.BrandID, period, when)
	if err != nil {
		h.t.Fatal(err)
	}
}

// alerts lists the outbox messages about the brand's deadline key as "kind
// audience YYYY-MM-DD HH:MM due YYYY-MM-DD", in the order they were written.
func (h *brandHarness) alerts(key string) []string {
	h.t.Helper()
	msgs, err := h.store.Outbox(context.Background(), h.in.BrandID)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if strings.Contains(m.DedupeKey, "/"+key+"/") {
			out = append(out, fmt.Sprintf("%s %s %s due %s", m.Kind, m.Audience, m.CreatedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), m.Due))
		}
	}
	return out
}
