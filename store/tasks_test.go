package store_test

import (
	"encoding/base64"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// API.md GET /api/v1/tasks: the work queue is read a page at a time, soonest
// due first; following `next` from the first page gives every task once, in
// the order of the whole queue, and the last page has no next.
func TestTheWorkQueueIsReadAPageAtATime(t *testing.T) {
	st := testenv.Store(t)
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	seedTasks(t, st, 60, now)
	// Five drawn experts' opinions on one application: the same instant,
	// object, kind and audience — they differ by assignee only.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO tasks (object_type, object_id, kind, audience, county_code, assignee, brand_name, due, due_at, provisional)
		SELECT 'application', 'A-TIE', 'expert_opinion', 'expert', '530181', 'EXP0' || i, '并列', '2026-10-09', '2026-10-10 00:00+08', false
		FROM generate_series(1, 5) AS i`); err != nil {
		t.Fatal(err)
	}
	// The supervisor's queue: every role's, ties among them.
	f := store.TaskFilter{Audience: "supervisor", All: true, Now: now, Limit: 1000}
	whole, err := st.Tasks(ctx, f)
	if err != nil || len(whole) != 65 {
		t.Fatalf("the whole queue: %d tasks, %v", len(whole), err)
	}
	var paged []store.Task
	cursor, pages := "", 0
	for {
		f.Limit = 4
		page, next, err := st.TaskPage(ctx, f, cursor)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		paged = append(paged, page...)
		if next == "" {
			break
		}
		if len(page) != 4 || pages > len(whole) {
			t.Fatalf("page %d has %d tasks and a next", pages, len(page))
		}
		cursor = next
	}
	place := func(t store.Task) string { return t.DueAt.String() + t.ObjectID + t.Kind + t.Audience + t.Assignee }
	if got, want := mapSlice(paged, place), mapSlice(whole, place); !slices.Equal(got, want) {
		t.Errorf("pages of 4 gave %d tasks in another order than the whole queue's %d", len(got), len(want))
	}
	if want := (len(whole) + 3) / 4; pages != want {
		t.Errorf("%d pages, want %d", pages, want)
	}
	// Hostile input: the third has a NUL in its place in the queue, which
	// PostgreSQL refuses as text (a 500 before, not the client's 422).
	nul := base64.RawURLEncoding.EncodeToString([]byte(`["2026-01-01T00:00:00Z","\u0000","a","b","c","d"]`))
	for _, bad := range []string{"not-a-cursor", "WyIyMDI2Il0", nul} { // the second is ["2026"]
		if _, _, err := st.TaskPage(ctx, f, bad); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", bad, err)
		}
	}
}

func mapSlice[T, U any](s []T, f func(T) U) []U {
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
