package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/store"
)

// The records a test reads back, as the API and the outbox see them.

// appRow is an application's row as the API reads it.
type appRow struct {
	Stage        string
	Deadlines    []calendar.Deadline
	NoticeStart  string
	NoticeEnd    string
	BrandID      string
	FormRevision int
}

func (h *harness) row() appRow {
	h.t.Helper()
	var r appRow
	var raw []byte
	err := h.store.Pool().QueryRow(context.Background(), `
		SELECT stage, deadlines, coalesce(to_char(notice_start, 'YYYY-MM-DD'), ''), coalesce(to_char(notice_end, 'YYYY-MM-DD'), ''),
		       coalesce(brand_id, ''), form_revision
		FROM applications WHERE id = $1`, h.in.ApplicationID).
		Scan(&r.Stage, &raw, &r.NoticeStart, &r.NoticeEnd, &r.BrandID, &r.FormRevision)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &r.Deadlines); err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *harness) stage() string { return h.row().Stage }

// deadlineKind finds the deadline of kind among ds.
func deadlineKind(ds []calendar.Deadline, kind string) (calendar.Deadline, bool) {
	for _, d := range ds {
		if d.Kind == kind {
			return d, true
		}
	}
	return calendar.Deadline{}, false
}

// wantDeadlines checks that ds holds exactly the given kind → due day pairs,
// each ending at 24:00 of its day.
func wantDeadlines(t *testing.T, where string, ds []calendar.Deadline, want map[string]string) {
	t.Helper()
	if len(ds) != len(want) {
		t.Errorf("%s: deadlines %+v, want %v", where, ds, want)
	}
	for kind, due := range want {
		d, found := deadlineKind(ds, kind)
		switch {
		case !found:
			t.Errorf("%s: no %s deadline in %+v", where, kind, ds)
		case d.Due.String() != due:
			t.Errorf("%s: %s due %s, want %s", where, kind, d.Due, due)
		case !d.DueAt.Equal(date(due).End()):
			t.Errorf("%s: %s ends at %s, want 24:00 of %s", where, kind, d.DueAt, due)
		}
	}
}

// event is one line of an application's history (application_events).
type event struct {
	At     time.Time
	Actor  string
	Role   string
	Action string
	Note   string
}

// String is the line as the tests write it: "2026-03-13 00:00 system admitted".
func (e event) String() string {
	return e.At.In(calendar.Shanghai).Format("2006-01-02 15:04") + " " + e.Role + " " + e.Action
}

func (h *harness) events() []event {
	h.t.Helper()
	rows, err := h.store.Pool().Query(context.Background(),
		`SELECT at, actor, role, action, note FROM application_events WHERE application_id = $1 ORDER BY id`, h.in.ApplicationID)
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

// lines lists the events as strings, in order.
func lines(es []event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.String()
	}
	return out
}

// findEvent returns the first event with action.
func findEvent(es []event, action string) (event, bool) {
	for _, e := range es {
		if e.Action == action {
			return e, true
		}
	}
	return event{}, false
}

// alerts lists the outbox messages about the deadline key (county_review,
// resubmission, objection_ruling:OB1, …) as "kind audience YYYY-MM-DD HH:MM
// due YYYY-MM-DD", in the order they were written.
func (h *harness) alerts(key string) []string {
	h.t.Helper()
	msgs, err := h.store.Outbox(context.Background(), h.in.ApplicationID)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if strings.Contains(m.DedupeKey, "/"+key+"/") {
			out = append(out, fmt.Sprintf("%s %s %s due %s", m.Kind, m.Audience,
				m.CreatedAt.In(calendar.Shanghai).Format("2006-01-02 15:04"), m.Due))
		}
	}
	return out
}

// alertsSent is the number of reminders and escalations about the
// application.
func (h *harness) alertsSent() int {
	n := 0
	for _, m := range h.outbox() {
		if m.Kind == deadline.AlertReminder || m.Kind == deadline.AlertEscalation {
			n++
		}
	}
	return n
}

// decisionsTold are the titles of the holder's decision messages about the
// application.
func (h *harness) decisionsTold() []string {
	var out []string
	for _, m := range h.outbox() {
		if m.Kind == store.DecisionKind {
			out = append(out, m.Audience+" "+m.Title)
		}
	}
	return out
}

func (h *harness) outbox() []store.Message {
	h.t.Helper()
	msgs, err := h.store.Outbox(context.Background(), h.in.ApplicationID)
	if err != nil {
		h.t.Fatal(err)
	}
	return msgs
}

// draftObjection stores an objection as the API does before it tells the
// process (the objector's identity stays in the database).
func (h *harness) draftObjection(id, via, receivedOn string) {
	h.t.Helper()
	_, err := h.store.Pool().Exec(context.Background(), `
		INSERT INTO objections (id, application_id, via, received_on, name, contact, content, evidence, created_at)
		VALUES ($1, $2, $3, $4, '匿名', '-', '异议内容', '书面证据', $5)`, id, h.in.ApplicationID, via, receivedOn, h.start)
	if err != nil {
		h.t.Fatal(err)
	}
}

// exec changes the records as the API would between the process's steps.
func (h *harness) exec(sql string) {
	h.t.Helper()
	if _, err := h.store.Pool().Exec(context.Background(), sql); err != nil {
		h.t.Fatal(err)
	}
}

// objectionRow is an objection's status and ruling deadline.
func (h *harness) objectionRow(id string) (status, rulingDue string) {
	h.t.Helper()
	err := h.store.Pool().QueryRow(context.Background(),
		`SELECT status, coalesce(to_char(ruling_due, 'YYYY-MM-DD'), '') FROM objections WHERE id = $1`, id).Scan(&status, &rulingDue)
	if err != nil {
		h.t.Fatal(err)
	}
	return status, rulingDue
}

// brand reads the brand record created on admission.
func (h *harness) brand() (id, status, admittedOn string, found bool) {
	h.t.Helper()
	err := h.store.Pool().QueryRow(context.Background(),
		`SELECT id, status, to_char(admitted_on, 'YYYY-MM-DD') FROM brands WHERE application_id = $1`, h.in.ApplicationID).
		Scan(&id, &status, &admittedOn)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return id, status, admittedOn, true
}

// equal reports a difference between two string lists, line by line.
func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
