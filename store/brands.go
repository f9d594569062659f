package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// RecordBrandStep writes st once; a step whose key exists is skipped.
func (s *Store) RecordBrandStep(ctx context.Context, st records.BrandStep) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var before, uscc, county, name string
		recorded, err := lockStep(ctx, tx, `SELECT status, uscc, county_code, name FROM brands WHERE id = $1 FOR UPDATE`, []any{st.BrandID},
			func(r pgx.Row) error { return r.Scan(&before, &uscc, &county, &name) },
			`SELECT EXISTS (SELECT 1 FROM brand_events WHERE dedupe_key = $1)`, st.Key)
		if err != nil {
			return fmt.Errorf("brand %s: %w", st.BrandID, err)
		}
		if recorded {
			return nil
		}
		w := &writes{}
		if err := writeBrandRecords(ctx, tx, w, st); err != nil {
			return err
		}
		if st.Change != nil { // an approved change of the USCC moved the holder: tell it under its new code
			if err := tx.QueryRow(ctx, `SELECT uscc FROM brands WHERE id = $1`, st.BrandID).Scan(&uscc); err != nil {
				return fmt.Errorf("brand %s: %w", st.BrandID, err)
			}
		}
		queueStanding(w, st)
		queueReplaceTasks(w, "brand", st.BrandID, st.Tasks)
		w.exec("record "+st.Action+" of "+st.BrandID, `INSERT INTO brand_events (brand_id, at, actor, role, action, note, dedupe_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, st.BrandID, st.At, st.Actor, st.Role, st.Action, st.Note, st.Key)
		if err := queueAudit(w, AuditEntry{At: st.At, Actor: st.Actor, Role: st.Role, Action: "brand." + st.Action,
			ObjectType: "brand", ObjectID: st.BrandID, Before: map[string]string{"status": before},
			After: map[string]any{"standing": st.Standing, "note": st.Note, "detail": st.Audit}}); err != nil {
			return err
		}
		if m, ok := brandDecision(st, uscc, county, cmp.Or(st.Standing.Name, name)); ok {
			// The holder is told with the decision, in its transaction.
			if err := w.send(ctx, tx); err != nil {
				return err
			}
			if _, err := enqueueReturning(ctx, tx, m); err != nil {
				return err
			}
		}
		return w.send(ctx, tx)
	})
}

func queueStanding(w *writes, st records.BrandStep) {
	j := func(v any) []byte {
		if v == nil {
			return nil
		}
		b, _ := json.Marshal(v)
		if string(b) == "null" {
			return nil
		}
		return b
	}
	s := st.Standing
	deadlines, _ := json.Marshal(nonNilDeadlines(s.Deadlines))
	matters, _ := json.Marshal(s.OpenMatters)
	if s.OpenMatters == nil {
		matters = []byte("[]")
	}
	w.exec("update brand "+st.BrandID, `UPDATE brands SET status = $2, name = coalesce(nullif($3, ''), name),
		name_key = CASE WHEN $3 = '' THEN name_key ELSE $14 END, unit_name = coalesce(nullif($4, ''), unit_name), rectification = $5, suspension = $6, suspension_count = $7,
		pending_decision = $8, deadlines = $9, next_evaluation_due = $10::date, removed_on = $11::date,
		reapply_after = $12::date, updated_at = greatest(updated_at, $13), open_matters = $15, deadline_rules = $16,
		run_id = coalesce(nullif($17, ''), run_id) WHERE id = $1`,
		st.BrandID, s.Status, s.Name, s.UnitName, j(s.Rectification), j(s.Suspension), s.SuspensionCount,
		j(s.PendingDecision), deadlines, dateOrNil(s.NextEvaluationDue), dateOrNil(s.RemovedOn), dateOrNil(s.ReapplyAfter), st.At,
		namekey.Key(s.Name), matters, rulesOrNil(st.Rules), st.RunID)
}

// writeBrandRecords queues the records a step creates on w; a change
// decision, which reads what it applies, runs at once after what is queued
// before it.
func writeBrandRecords(ctx context.Context, tx pgx.Tx, w *writes, st records.BrandStep) error {
	if f := st.Finding; f != nil {
		w.exec("save finding", `INSERT INTO findings (id, brand_id, reason, level, description, report_id, ordered_on, actor, at, joined)
			VALUES ($1, $2, $3, $4, $5, nullif($6, ''), $7, $8, $9, nullif($10, '')) ON CONFLICT (id) DO NOTHING`,
			f.ID, st.BrandID, f.Reason, f.Level, f.Description, f.ReportID, f.OrderedOn.String(), st.Actor, st.At, f.Joined)
	}
	if a := st.Announcement; a != nil {
		w.exec("publish "+a.Kind, `INSERT INTO announcements (dedupe_key, brand_id, kind, brand_name, unit_name, county_code, category,
				decided_on, effective_until, summary, published_at)
			SELECT $1, id, $2, name, unit_name, county_code, category, $3, $4::date, $5, $6 FROM brands WHERE id = $7
			ON CONFLICT (dedupe_key) DO NOTHING`,
			st.Key, a.Kind, a.DecidedOn.String(), dateOrNil(a.Until), a.Summary, st.At, st.BrandID)
	}
	if b := st.Ban; b != nil {
		w.exec("ban", `INSERT INTO bans (brand_name, name_key, uscc, decided_on, until, reason, brand_id)
			SELECT name, name_key, uscc, $2, $3, $4, id FROM brands WHERE id = $1`,
			st.BrandID, b.DecidedOn.String(), b.Until.String(), b.Reason)
		// A removal closes every matter (RULES §4): the change requests and
		// reports it finds open say so, and no list offers them to an
		// officer whose opinion or triage the brand's process would refuse.
		w.exec("close change requests", `UPDATE brand_changes c SET status = 'closed', decided_at = $2, `+keepRecordValues+`
			WHERE brand_id = $1 AND status IN ('county', 'city')`, st.BrandID, st.At)
		w.exec("close reports", `UPDATE reports SET status = 'closed', triage_note = $3, triaged_at = $2, triaged_by = $4
			WHERE brand_id = $1 AND status = 'open'`, st.BrandID, st.At, ClosedByRemoval, st.Actor)
	}
	if a := st.Assessment; a != nil {
		w.exec("assess", `UPDATE evaluations SET outcome = $2, opinion = $3, assessed_at = $4, assessed_by = $5 WHERE id = $1`,
			a.ReportID, a.Outcome, a.Opinion, st.At, st.Actor)
	}
	if c := st.Change; c != nil {
		if err := w.send(ctx, tx); err != nil {
			return err
		}
		if err := decideChange(ctx, tx, st.BrandID, *c, st.At); err != nil {
			return err
		}
	}
	if t := st.Triage; t != nil {
		status, known := triageStatus[t.Action]
		if !known { // the process's validator refuses any other action
			return fmt.Errorf("triage of report %s: unknown action %q", t.ReportID, t.Action)
		}
		w.exec("triage", `UPDATE reports SET status = $2, triage_note = $3, finding_id = nullif($4, ''),
			triaged_at = $5, triaged_by = $6 WHERE id = $1`, t.ReportID, status, t.Note, t.FindingID, st.At, st.Actor)
	}
	return nil
}

// moveHolder moves the holder's console accounts and its registration from
// the brand's USCC to newUSCC, before the brand's record takes it (RULES
// §4, 附件2): a holder reads and acts on its brand by its USCC, and one whose
// code an approved change replaced would be shut out of its own brand. Each
// account moved is audited.
func moveHolder(ctx context.Context, tx pgx.Tx, brandID, newUSCC string, at time.Time) error {
	var old string
	if err := tx.QueryRow(ctx, `SELECT uscc FROM brands WHERE id = $1`, brandID).Scan(&old); err != nil {
		return fmt.Errorf("brand %s: %w", brandID, err)
	}
	if old == newUSCC {
		return nil
	}
	// Accounts an administrator disabled under the new code (someone
	// else's, RULES §4) are unbound from it, so that enabled again they
	// reach nothing, and a registration of theirs gives way to the
	// holder's; each is audited.
	rows, _ := tx.Query(ctx, `UPDATE accounts SET uscc = '' WHERE uscc = $1 AND role = 'applicant' AND disabled RETURNING username`, newUSCC)
	unbound, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("unbind disabled accounts from %s: %w", newUSCC, err)
	}
	rows, _ = tx.Query(ctx, `UPDATE accounts SET uscc = $2 WHERE uscc = $1 AND role = 'applicant' RETURNING username`, old, newUSCC)
	moved, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("move the holder's accounts: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM holder_registrations r USING accounts a
		WHERE r.uscc = $1 AND a.id = r.account_id AND a.uscc = ''`, newUSCC); err != nil {
		return fmt.Errorf("move the holder's registration: %w", err)
	}
	// Links still to confirm are for the old code, and moot for a holder
	// with a brand; they would hold the registration to it.
	if _, err := tx.Exec(ctx, `DELETE FROM holder_confirmations WHERE uscc = $1`, old); err != nil {
		return fmt.Errorf("move the holder's registration: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE holder_registrations SET uscc = $2 WHERE uscc = $1
		AND NOT EXISTS (SELECT 1 FROM holder_registrations WHERE uscc = $2)`, old, newUSCC); err != nil {
		return fmt.Errorf("move the holder's registration: %w", err)
	}
	// The holder's messages go with its accounts: its 消息 reads them by
	// its code, and its open orders' last days are among them.
	if _, err := tx.Exec(ctx, `UPDATE outbox SET uscc = $2 WHERE uscc = $1 AND audience = 'applicant'`, old, newUSCC); err != nil {
		return fmt.Errorf("move the holder's messages: %w", err)
	}
	// Audited last: an audit row takes the trail's lock, which an account
	// change in the console takes after its row's (no deadlock between them).
	for _, username := range unbound {
		if err := AppendAudit(ctx, tx, AuditEntry{At: at, Actor: "system", Role: "system", Action: "account.uscc_unbound",
			ObjectType: "account", ObjectID: username, Before: map[string]string{"uscc": newUSCC},
			After: map[string]string{"uscc": "", "reason": "disabled, and the code given to brand " + brandID}}); err != nil {
			return err
		}
	}
	for _, username := range moved {
		if err := AppendAudit(ctx, tx, AuditEntry{At: at, Actor: "system", Role: "system", Action: "account.uscc_moved",
			ObjectType: "account", ObjectID: username, Before: map[string]string{"uscc": old},
			After: map[string]string{"uscc": newUSCC, "brand_id": brandID}}); err != nil {
			return err
		}
	}
	return nil
}

// keepRecordValues sets a change request's replaced to the values the
// brand's record holds, as the request is decided, for the fields it
// changes. A field the record does not hold (an imported brand's record has
// its identity alone) is left out, not kept as null; with none held it is
// {}, so that null is left to a request not decided. The request is c.
const keepRecordValues = `replaced = (
	SELECT coalesce(jsonb_object_agg(k, f.form -> k), '{}') FROM jsonb_object_keys(c.changes) k,
		(SELECT coalesce(b.current_form, a.form) AS form FROM brands b LEFT JOIN applications a ON a.id = b.application_id
		 WHERE b.id = c.brand_id) f
	WHERE f.form ? k)`

// decideChange records an opinion on a change request; the city's approval
// applies the changes to the brand record (附件2).
func decideChange(ctx context.Context, tx pgx.Tx, brandID string, c records.ChangeDecision, at time.Time) error {
	col := "county_opinion"
	next := "city"
	if c.Step == "city" {
		col, next = "city_opinion", "approved"
	}
	if !c.Approve {
		next = "refused"
	}
	if _, err := tx.Exec(ctx, `UPDATE brand_changes SET `+col+` = $2, status = $3,
		decided_at = CASE WHEN $3 IN ('approved', 'refused') THEN $4::timestamptz ELSE decided_at END WHERE id = $1`,
		c.ChangeID, c.Opinion, next, at); err != nil {
		return fmt.Errorf("change opinion: %w", err)
	}
	if next == "city" {
		return nil
	}
	// What the change replaces (or would have), kept as the request is
	// decided: the printed 附件2 shows it beside the new values.
	var raw []byte
	if err := tx.QueryRow(ctx, `UPDATE brand_changes c SET `+keepRecordValues+` WHERE c.id = $1 RETURNING c.changes`,
		c.ChangeID).Scan(&raw); err != nil {
		return err
	}
	if next != "approved" {
		return nil
	}
	// 附件2: every approved change — basic ones too — becomes the brand's
	// current record, which later change requests are checked against.
	if _, err := tx.Exec(ctx, `UPDATE brands b SET current_form = coalesce(b.current_form,
		(SELECT a.form FROM applications a WHERE a.id = b.application_id)) || $2::jsonb WHERE b.id = $1`, brandID, raw); err != nil {
		return fmt.Errorf("apply change to the brand's record: %w", err)
	}
	var changes map[string]any
	json.Unmarshal(raw, &changes)
	// Columns of the brand record a change may set; other fields are kept
	// in the change request itself.
	columns := map[string]string{"brand_name": "name", "unit_name": "unit_name", "uscc": "uscc",
		"brand_type": "brand_type", "category": "category"}
	if v, ok := changes["uscc"].(string); ok && v != "" {
		if err := moveHolder(ctx, tx, brandID, v, at); err != nil {
			return err
		}
	}
	for field, col := range columns {
		if v, ok := changes[field].(string); ok && v != "" {
			if _, err := tx.Exec(ctx, `UPDATE brands SET `+col+` = $2 WHERE id = $1`, brandID, v); err != nil {
				return fmt.Errorf("apply change %s: %w", field, err)
			}
			if col == "name" {
				if _, err := tx.Exec(ctx, `UPDATE brands SET name_key = $2 WHERE id = $1`, brandID, namekey.Key(v)); err != nil {
					return fmt.Errorf("apply change %s: %w", field, err)
				}
			}
		}
	}
	return nil
}

// triageStatus is a report's status after each triage action
// (workflows.TriageAction; store does not import workflows).
var triageStatus = map[string]string{"dismiss": "dismissed", "finding": "finding", "removal_report": "removal_report"}
