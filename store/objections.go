package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// ObjectionDraft is an objection as received, with the objector's identity,
// before the application's process accepts it.
type ObjectionDraft struct {
	ID            string
	ApplicationID string
	Via           string // public | mail
	ReceivedOn    string
	Name          string
	Contact       string
	Content       string
	Evidence      string
	PostmarkedOn  string // a mailed objection's postmark; "" for one filed online
	// ReceivedOnStated: the city named the day of receipt (a mailed one);
	// filed again naming another, it is other content. Unstated, the day is
	// the day of filing, and a retry keeps the stored one.
	ReceivedOnStated bool
	CreatedAt        time.Time
}

// SaveObjectionDraft stores an objection with its objector's identity; the
// identity never leaves PostgreSQL (RULES §6).
func (s *Store) SaveObjectionDraft(ctx context.Context, o ObjectionDraft) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		o.ID, o.ApplicationID, o.Via, o.ReceivedOn, o.Name, o.Contact, o.Content, o.Evidence, o.CreatedAt)
	if err != nil {
		return fmt.Errorf("save objection: %w", err)
	}
	return nil
}

// ObjectionDay is a day of receipt as the application's process knows it.
type ObjectionDay struct {
	ReceivedOn string  // the objection's day of receipt: a refiled one's stored day
	Accepted   bool    // the process keeps this day's ruling clock
	RulingDue  *string // the day's ruling deadline once accepted
	Existed    bool    // the objection was on record before (filed again)
	// OthersOpen: another objection of the day waits for its ruling. When
	// none does on an accepted day, the process may have closed the day's
	// clock (all ruled): it is told again, to reopen it for this one —
	// only while this one waits for its ruling too (Open).
	OthersOpen bool
	Open       bool // this objection is accepted and not yet ruled
}

// Reopens reports whether the objection opens its day's clock again: an
// accepted day none of whose other objections waits for a ruling, this one
// waiting (never one already ruled, filed again).
func (d ObjectionDay) Reopens() bool { return d.Accepted && !d.OthersOpen && d.Open }

// ErrObjectionRefiledOtherwise: an objection filed again under its id (the
// same request retried) says something else than the one stored.
var ErrObjectionRefiledOtherwise = errors.New("objection filed again with other content")

// FileObjection stores an objection with its objector's identity (which
// never leaves PostgreSQL, RULES §6) under its day of receipt: open at once
// with the day's ruling deadline when the process already keeps that day's
// clock, a draft until it does. It reports the day as the process knows it.
//
// An objection filed again under its id (a request retried after a failure
// left it stored) is the one stored, under its own day of receipt — a
// retry the next day must not open a day no objection was received on, which
// the process would keep open for good. A mailed one filed again with other
// content is ErrObjectionRefiledOtherwise; a public one's id, when it is
// not random, is its content and day.
func (s *Store) FileObjection(ctx context.Context, o ObjectionDraft) (ObjectionDay, error) {
	var day ObjectionDay
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		day, err = fileObjection(ctx, tx, o)
		return err
	})
	return day, err
}

// fileObjection is FileObjection in tx.
func fileObjection(ctx context.Context, tx pgx.Tx, o ObjectionDraft) (ObjectionDay, error) {
	var day ObjectionDay
	// Locks in the order the process's steps take them — the application,
	// then its day — so the two never deadlock. The day's row is locked, so
	// an objection filed while the process opens the day is either opened
	// with the day's other drafts or stored open here — never left a draft.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM applications WHERE id = $1 FOR SHARE`, o.ApplicationID); err != nil {
		return day, fmt.Errorf("application %s: %w", o.ApplicationID, err)
	}
	var stored ObjectionDraft
	var storedStatus string
	err := tx.QueryRow(ctx, `SELECT application_id, to_char(received_on, 'YYYY-MM-DD'), name, contact, content, evidence,
		coalesce(to_char(postmarked_on, 'YYYY-MM-DD'), ''), status FROM objections WHERE id = $1`, o.ID).
		Scan(&stored.ApplicationID, &stored.ReceivedOn, &stored.Name, &stored.Contact, &stored.Content, &stored.Evidence, &stored.PostmarkedOn, &storedStatus)
	switch {
	case err == nil:
		if stored.ApplicationID != o.ApplicationID || o.Via == "mail" && (stored.Name != o.Name || stored.Contact != o.Contact ||
			stored.Content != o.Content || stored.Evidence != o.Evidence || stored.PostmarkedOn != o.PostmarkedOn ||
			o.ReceivedOnStated && stored.ReceivedOn != o.ReceivedOn) {
			return day, ErrObjectionRefiledOtherwise
		}
		o.ReceivedOn, day.Existed = stored.ReceivedOn, true
	case !errors.Is(err, pgx.ErrNoRows):
		return day, fmt.Errorf("objection %s: %w", o.ID, err)
	}
	day.ReceivedOn = o.ReceivedOn
	if _, err := tx.Exec(ctx, `INSERT INTO objection_days (application_id, received_on) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, o.ApplicationID, o.ReceivedOn); err != nil {
		return day, fmt.Errorf("objection day: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT accepted, to_char(ruling_due, 'YYYY-MM-DD') FROM objection_days
		WHERE application_id = $1 AND received_on = $2 FOR UPDATE`, o.ApplicationID, o.ReceivedOn).Scan(&day.Accepted, &day.RulingDue); err != nil {
		return day, fmt.Errorf("objection day: %w", err)
	}
	status := "draft"
	if day.Accepted {
		status = "open"
		day.Open = !day.Existed || storedStatus == "open"
		// One untold is not open to the process: this one is told too,
		// or a ruling of that one could leave this one behind.
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM objections WHERE application_id = $1 AND received_on = $2
			AND status = 'open' AND NOT untold AND id <> $3)`, o.ApplicationID, o.ReceivedOn, o.ID).Scan(&day.OthersOpen); err != nil {
			return day, fmt.Errorf("objection day: %w", err)
		}
	}
	// One that opens its day again is untold until its process answers
	// (ObjectionTold, or the day accepted again).
	_, err = tx.Exec(ctx, `
		INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, created_at,
		                        status, ruling_due, postmarked_on, untold)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nullif($12, '')::date, $13)
		ON CONFLICT (id) DO NOTHING`, // filed again at the same moment: stored once
		o.ID, o.ApplicationID, o.Via, o.ReceivedOn, o.Name, o.Contact, o.Content, o.Evidence, o.CreatedAt,
		status, day.RulingDue, o.PostmarkedOn, day.Reopens())
	if err != nil {
		return day, fmt.Errorf("save objection: %w", err)
	}
	return day, nil
}

// takesObjections reports whether an application at stage takes
// objections and their rulings (workflows.TakesObjections, which the
// store does not import).
func takesObjections(stage string) bool {
	return stage == "public_notice" || stage == "objection_review"
}

// AcceptObjectionDay opens the drafts received on day with their common
// ruling deadline (in a RecordStep's transaction).
func AcceptObjectionDay(ctx context.Context, tx pgx.Tx, appID string, day, rulingDue calendar.Date) error {
	if _, err := tx.Exec(ctx, `INSERT INTO objection_days (application_id, received_on, accepted, ruling_due)
		VALUES ($1, $2, true, $3) ON CONFLICT (application_id, received_on) DO UPDATE SET accepted = true, ruling_due = $3`,
		appID, day.String(), rulingDue.String()); err != nil {
		return fmt.Errorf("accept objection day %s: %w", day, err)
	}
	// Drafts open; one stored open on a day opened again takes the clock
	// as computed now (a calendar revision may have moved it), and is told.
	_, err := tx.Exec(ctx, `UPDATE objections SET status = 'open', ruling_due = $3, untold = false
		WHERE application_id = $1 AND received_on = $2 AND status IN ('draft', 'open')`, appID, day.String(), rulingDue.String())
	return err
}

// ObjectionTold records that the process of an objection that opened its
// day again answered its telling (the day may have been open already, and
// then nothing else records it).
func (s *Store) ObjectionTold(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE objections SET untold = false WHERE id = $1 AND untold`, id); err != nil {
		return fmt.Errorf("objection %s told: %w", id, err)
	}
	return nil
}

// DraftDays lists the days of receipt of an application's objections that
// its process was never told of, oldest first: days of drafts, and days
// of objections that came after the day's others were all ruled and were
// never told (records.DraftDay.Reopens).
func (s *Store) DraftDays(ctx context.Context, appID string) ([]records.DraftDay, error) {
	rows, _ := s.pool.Query(ctx, `SELECT to_char(received_on, 'YYYY-MM-DD'), to_char(min(coalesce(postmarked_on, received_on)), 'YYYY-MM-DD'),
			bool_or(status = 'open')
		FROM objections WHERE application_id = $1 AND (status = 'draft' OR status = 'open' AND untold)
		GROUP BY received_on ORDER BY received_on`, appID)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (records.DraftDay, error) {
		var received, filed string
		var reopens bool
		if err := r.Scan(&received, &filed, &reopens); err != nil {
			return records.DraftDay{}, err
		}
		d, err := draftDay(received, filed)
		d.Reopens = reopens
		return d, err
	})
}

// UnruledObjectionsOn counts the objections of a day of receipt not yet
// ruled: stored open, or stored and never told (drafts).
func (s *Store) UnruledObjectionsOn(ctx context.Context, q records.ObjectionDayQuery) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM objections
		WHERE application_id = $1 AND received_on = $2 AND status IN ('open', 'draft')`,
		q.ApplicationID, q.ReceivedOn.String()).Scan(&n)
	return n, err
}

// StrandedDay is a day of receipt of objections stored and never told to
// the process of an application that still takes them (in its notice or
// its objections' review).
type StrandedDay struct {
	ApplicationID string
	records.DraftDay
	// ObjectionID names an objection stored open on a day whose others
	// were all ruled (Reopens): it is told under its own Update ID, as the
	// API tells it. Empty for a day of drafts.
	ObjectionID string
}

// StrandedDays lists up to limit such days stored before: one per day of
// drafts, one per untold objection. Those never tried come first, the
// oldest receipt first; then those a telling failed for (StrandedDayTried),
// the longest since tried first — so that days a process keeps refusing,
// however many, never hold back one stored since.
func (s *Store) StrandedDays(ctx context.Context, before time.Time, limit int) ([]StrandedDay, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT application_id, received, filed, objection_id FROM (
			SELECT o.application_id, to_char(o.received_on, 'YYYY-MM-DD') AS received,
				to_char(min(coalesce(o.postmarked_on, o.received_on)), 'YYYY-MM-DD') AS filed, '' AS objection_id,
				max(o.tell_tried_at) AS tried
			FROM objections o JOIN applications a ON a.id = o.application_id
			WHERE o.status = 'draft' AND o.created_at < $1 AND a.stage IN ('public_notice', 'objection_review')
			GROUP BY o.application_id, o.received_on
			UNION ALL
			SELECT o.application_id, to_char(o.received_on, 'YYYY-MM-DD'),
				to_char(coalesce(o.postmarked_on, o.received_on), 'YYYY-MM-DD'), o.id, o.tell_tried_at
			FROM objections o JOIN applications a ON a.id = o.application_id
			WHERE o.status = 'open' AND o.untold AND o.created_at < $1 AND a.stage IN ('public_notice', 'objection_review')
		) days ORDER BY tried NULLS FIRST, received, application_id, objection_id LIMIT $2`, before, limit)
	return pgx.CollectRows(rows, scanStrandedDay)
}

// StrandedDayTried records that telling d's process failed at at: the
// next sweeps read d after the days not tried.
func (s *Store) StrandedDayTried(ctx context.Context, d StrandedDay, at time.Time) error {
	var err error
	if d.ObjectionID != "" {
		_, err = s.pool.Exec(ctx, `UPDATE objections SET tell_tried_at = $2 WHERE id = $1`, d.ObjectionID, at)
	} else {
		_, err = s.pool.Exec(ctx, `UPDATE objections SET tell_tried_at = $3
			WHERE application_id = $1 AND received_on = $2 AND status = 'draft'`, d.ApplicationID, d.ReceivedOn.String(), at)
	}
	if err != nil {
		return fmt.Errorf("objections of %s received %s tried: %w", d.ApplicationID, d.ReceivedOn, err)
	}
	return nil
}

// scanStrandedDay reads an application ID, a day of receipt, the earliest
// filing date of that day (both YYYY-MM-DD) and an untold objection's ID.
func scanStrandedDay(r pgx.CollectableRow) (StrandedDay, error) {
	var d StrandedDay
	var received, filed string
	if err := r.Scan(&d.ApplicationID, &received, &filed, &d.ObjectionID); err != nil {
		return d, err
	}
	var err error
	d.DraftDay, err = draftDay(received, filed)
	d.Reopens = d.ObjectionID != ""
	return d, err
}

func draftDay(received, filed string) (records.DraftDay, error) {
	var d records.DraftDay
	var err1, err2 error
	d.ReceivedOn, err1 = calendar.ParseDate(received)
	d.FiledOn, err2 = calendar.ParseDate(filed)
	return d, errors.Join(err1, err2)
}

// DropObjection removes an objection its process refused — a draft, or
// an untold one that would have opened its day again — and its day of
// receipt when no other objection was received then.
func (s *Store) DropObjection(ctx context.Context, id string) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var appID, day string
		err := tx.QueryRow(ctx, `DELETE FROM objections WHERE id = $1 AND (status = 'draft' OR status = 'open' AND untold)
			RETURNING application_id, to_char(received_on, 'YYYY-MM-DD')`, id).Scan(&appID, &day)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return dropEmptyDay(ctx, tx, appID, day)
	})
}

// DropObjectionDay removes the drafts of an application's objections
// received on day, which its process refused, and the day when it was
// never accepted and no other objection was received then.
func (s *Store) DropObjectionDay(ctx context.Context, appID string, day calendar.Date) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		// The day's row first, then its objections: the order in which
		// AcceptObjectionDay takes them, so that the two, run at once for
		// the same day, wait for each other instead of deadlocking.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM objection_days WHERE application_id = $1 AND received_on = $2 FOR UPDATE`,
			appID, day.String()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM objections WHERE application_id = $1 AND received_on = $2 AND status = 'draft'`,
			appID, day.String()); err != nil {
			return err
		}
		return dropEmptyDay(ctx, tx, appID, day.String())
	})
}

// DropClosedDrafts removes the drafts, stored before before, of
// applications whose process is over (admitted, rejected, withdrawn), and
// their days left empty: no process will hear them, and whoever filed one
// was answered with an error, never a receipt, and is refused as outside
// the notice if they file again. It returns each day dropped.
func (s *Store) DropClosedDrafts(ctx context.Context, before time.Time, limit int) ([]StrandedDay, error) {
	var dropped []StrandedDay
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		dropped = nil
		rows, _ := tx.Query(ctx, `
			WITH gone AS (
				DELETE FROM objections WHERE status = 'draft' AND id IN (
					SELECT o.id FROM objections o JOIN applications a ON a.id = o.application_id
					WHERE o.status = 'draft' AND o.created_at < $1 AND a.stage IN ('admitted', 'rejected', 'withdrawn')
					ORDER BY o.created_at LIMIT $2)
				RETURNING application_id, received_on, coalesce(postmarked_on, received_on) AS filed_on)
			SELECT application_id, to_char(received_on, 'YYYY-MM-DD'), to_char(min(filed_on), 'YYYY-MM-DD'), ''
			FROM gone GROUP BY application_id, received_on ORDER BY received_on, application_id`, before, limit)
		days, err := pgx.CollectRows(rows, scanStrandedDay)
		if err != nil {
			return err
		}
		for _, d := range days {
			if err := dropEmptyDay(ctx, tx, d.ApplicationID, d.ReceivedOn.String()); err != nil {
				return err
			}
		}
		dropped = days
		return nil
	})
	return dropped, err
}

// dropEmptyDay removes an application's day of receipt (YYYY-MM-DD) that
// its process never accepted and no objection is stored under any more.
func dropEmptyDay(ctx context.Context, tx pgx.Tx, appID, day string) error {
	_, err := tx.Exec(ctx, `DELETE FROM objection_days d WHERE application_id = $1 AND received_on = $2 AND NOT accepted
		AND NOT EXISTS (SELECT 1 FROM objections o WHERE o.application_id = d.application_id AND o.received_on = d.received_on)`,
		appID, day)
	return err
}

// ObjectionRuling is the city's ruling on one objection (第十三条).
type ObjectionRuling struct {
	ApplicationID string
	ObjectionID   string
	Upheld        bool
	Reason        string
	At            time.Time
	Actor, Role   string
	// Tell is the Update that tells the process what the ruling means
	// (RulingOutcome), if anything: stored with the ruling, and sent again
	// by the starter's sweep until the process answers it (UntoldUpdate).
	Tell func(RulingOutcome) (*UntoldUpdate, error)
}

// RulingOutcome is what a recorded ruling means for the process.
type RulingOutcome struct {
	ReceivedOn  calendar.Date // the ruled objection's day of receipt
	OpenThatDay int           // objections of that day still to rule
	Again       bool          // the same ruling was recorded before (a retry)
	// Upheld is an objection of the application upheld on record (the
	// first), with its day; "" when none. The process may not have heard
	// of it (its Update failed and was never retried).
	Upheld         string
	UpheldReceived calendar.Date
}

// RulingRefused is a ruling the application's records do not allow now.
type RulingRefused struct {
	Code, Message string
	Stage         string
}

func (e *RulingRefused) Error() string { return e.Message }

// RecordRuling records a ruling on an objection kept by day — the
// objection's status, the application's history line and the audit row in
// one transaction — and says how many of that day's objections remain. A
// ruling repeated the same way is not written again.
func (s *Store) RecordRuling(ctx context.Context, r ObjectionRuling) (RulingOutcome, error) {
	var out RulingOutcome
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		var stage string
		if err := tx.QueryRow(ctx, `SELECT stage FROM applications WHERE id = $1 FOR UPDATE`, r.ApplicationID).Scan(&stage); err != nil {
			return fmt.Errorf("application %s: %w", r.ApplicationID, notFound(err))
		}
		var status, day string
		var untold bool
		if err := tx.QueryRow(ctx, `SELECT status, to_char(received_on, 'YYYY-MM-DD'), untold FROM objections
			WHERE id = $1 AND application_id = $2`, r.ObjectionID, r.ApplicationID).Scan(&status, &day, &untold); err != nil {
			return fmt.Errorf("objection %s: %w", r.ObjectionID, notFound(err))
		}
		out.ReceivedOn, _ = calendar.ParseDate(day)
		want := "dismissed"
		if r.Upheld {
			want = "upheld"
		}
		takes := takesObjections(stage)
		switch {
		case status == want:
			out.Again = true
		case takes && (status == "draft" || status == "open" && untold):
			// Its process has not yet opened its day (an untold one's day
			// was closed): ruled now, the day would open after the ruling
			// and never close. The starter's sweep tells it within seconds.
			return &RulingRefused{Code: "objection_not_accepted", Message: "该异议尚未受理，暂不能裁定，请稍后再试", Stage: stage}
		case status != "open" && status != "draft":
			return &RulingRefused{Code: "already_ruled", Message: "该异议已裁定", Stage: stage}
		case !takes:
			return &RulingRefused{Code: "conflict", Message: "申请不在公示或异议裁定阶段，不能裁定异议", Stage: stage}
		default:
			if _, err := tx.Exec(ctx, `UPDATE objections SET status = $2, ruling_reason = $3, ruled_at = $4, ruled_by = $5 WHERE id = $1`,
				r.ObjectionID, want, r.Reason, r.At, r.Actor); err != nil {
				return fmt.Errorf("rule objection %s: %w", r.ObjectionID, err)
			}
			verdict := "异议不成立"
			if r.Upheld {
				verdict = "异议成立"
			}
			if _, err := tx.Exec(ctx, `INSERT INTO application_events (application_id, at, actor, role, action, note, dedupe_key)
				VALUES ($1, $2, $3, $4, 'objection.ruled', $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
				r.ApplicationID, r.At, r.Actor, r.Role, verdict+"（异议 "+r.ObjectionID+"）", "ruling/"+r.ObjectionID); err != nil {
				return fmt.Errorf("record ruling %s: %w", r.ObjectionID, err)
			}
			if err := AppendAudit(ctx, tx, AuditEntry{At: r.At, Actor: r.Actor, Role: r.Role, Action: "objection.ruled",
				ObjectType: "objection", ObjectID: r.ObjectionID, Before: map[string]string{"status": status},
				After: map[string]any{"status": want, "reason": r.Reason}}); err != nil {
				return err
			}
		}
		var upheldOn *string
		if err := tx.QueryRow(ctx, `SELECT id, to_char(received_on, 'YYYY-MM-DD') FROM objections
			WHERE application_id = $1 AND status = 'upheld' ORDER BY ruled_at, id LIMIT 1`, r.ApplicationID).Scan(&out.Upheld, &upheldOn); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("upheld objections: %w", err)
		}
		if upheldOn != nil {
			out.UpheldReceived, _ = calendar.ParseDate(*upheldOn)
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM objections WHERE application_id = $1 AND received_on = $2 AND status = 'open'`,
			r.ApplicationID, day).Scan(&out.OpenThatDay); err != nil {
			return err
		}
		if r.Tell == nil {
			return nil
		}
		u, err := r.Tell(out)
		if err == nil {
			u, err = untoldFor(UntoldRuling, r.ObjectionID, u)
		}
		if err != nil {
			return err
		}
		return insertUntold(ctx, tx, u)
	})
	return out, err
}

// ObjectionByDay reports whether the objection is kept under a day of
// receipt (objections filed before days existed were told to the process
// one by one, and are ruled that way).
func (s *Store) ObjectionByDay(ctx context.Context, id string) (bool, error) {
	var byDay bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM objections o JOIN objection_days d
		ON d.application_id = o.application_id AND d.received_on = o.received_on WHERE o.id = $1)`, id).Scan(&byDay)
	return byDay, err
}

// NoticeWindow reads an application's stage and notice days.
func (s *Store) NoticeWindow(ctx context.Context, id string) (stage string, start, end calendar.Date, err error) {
	var from, to *string
	err = s.pool.QueryRow(ctx, `SELECT stage, to_char(notice_start, 'YYYY-MM-DD'), to_char(notice_end, 'YYYY-MM-DD')
		FROM applications WHERE id = $1`, id).Scan(&stage, &from, &to)
	if err != nil {
		return "", start, end, notFound(err)
	}
	if from != nil && to != nil {
		start, _ = calendar.ParseDate(*from)
		end, _ = calendar.ParseDate(*to)
	}
	return stage, start, end, nil
}

// DeleteObjectionDraft removes an objection the process refused.
func (s *Store) DeleteObjectionDraft(ctx context.Context, id string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM objections WHERE id = $1 AND status = 'draft'`, id)
	return err
}

// ObjectionReceipt is what an objector is told.
type ObjectionReceipt struct {
	ID           string  `json:"id" doc:"异议编号"`
	ReceivedOn   string  `json:"received_on" format:"date" doc:"收到日期"`
	PostmarkedOn *string `json:"postmarked_on,omitempty" format:"date" doc:"邮戳日期（邮寄的异议）：决定是否在公示期内提出"`
	RulingDue    *string `json:"ruling_due" format:"date" doc:"裁定期限（含当日）"`
}

// GetObjectionReceipt reads an objection's receipt.
func (s *Store) GetObjectionReceipt(ctx context.Context, id string) (ObjectionReceipt, string, error) {
	var r ObjectionReceipt
	var appID string
	err := s.pool.QueryRow(ctx, `SELECT id, to_char(received_on, 'YYYY-MM-DD'), to_char(postmarked_on, 'YYYY-MM-DD'),
		to_char(ruling_due, 'YYYY-MM-DD'), application_id
		FROM objections WHERE id = $1`, id).Scan(&r.ID, &r.ReceivedOn, &r.PostmarkedOn, &r.RulingDue, &appID)
	return r, appID, notFound(err)
}
