package store

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPageLimitIsBoundedToOneToTwoHundred(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int
		want  int
	}{
		{"no limit: the default", 0, DefaultPageLimit},
		{"a negative limit: the default", -3, DefaultPageLimit},
		{"one row", 1, 1},
		{"the largest page", MaxPageLimit, MaxPageLimit},
		{"beyond the largest page: the default", MaxPageLimit + 1, DefaultPageLimit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := Page{Limit: tc.limit}.keyset()
			if err != nil || k.limit != tc.want || k.fetch() != tc.want+1 || k.after != nil {
				t.Errorf("keyset() = %+v, %v; want limit %d, fetching %d, from the start", k, err, tc.want, tc.want+1)
			}
		})
	}
}

// The cursor format is what clients hold between requests: a cursor given
// out before a release must still work after it.
func TestCursorFormatIsStable(t *testing.T) {
	const given = "MjAyNi0wOS0yOFQwMTozMDowMC41WnxBMjAyNjA5MjgwMDE"
	at := time.Date(2026, 9, 28, 9, 30, 0, 5e8, time.FixedZone("CST", 8*3600))
	if got := encodeCursor(position{at, "A20260928001"}); got != given {
		t.Errorf("encodeCursor = %s, want %s", got, given)
	}
	k, err := Page{Cursor: given}.keyset()
	if err != nil || k.after == nil || !k.after.at.Equal(at) || k.after.id != "A20260928001" {
		t.Errorf("keyset of %s = %+v, %v", given, k.after, err)
	}
}

// API.md: bad input is a 4xx, never a 500 — a cursor is the client's to
// send, so one whose id PostgreSQL would refuse (a NUL, bytes that are not
// UTF-8) or whose time it cannot hold is refused here as a bad cursor.
func TestCursorsNotGivenOutAreRefused(t *testing.T) {
	forged := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, cursor := range []string{"not base64!", "bm8gYmFyIGhlcmU", "eHx5", // "no bar here", "x|y"
		forged("2026-01-01T00:00:00Z|\x00"), forged("2026-01-01T00:00:00Z|A\xff\xfe"), forged("2026-01-01T00:00:00Z|" + strings.Repeat("A", 129)),
		forged("0000-01-01T00:00:00Z|A20260928001")} {
		if _, err := (Page{Cursor: cursor}).keyset(); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: err %v, want ErrBadCursor", cursor, err)
		}
	}
}

func TestPageOfTrimsTheExtraRowAndPointsPastTheLastReturned(t *testing.T) {
	k := keyset{limit: 2}
	day := time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)
	pos := func(id string) position { return position{day, id} }
	t.Run("a further row exists: a next page", func(t *testing.T) {
		rows, next := pageOf(k, []string{"c", "b", "a"}, pos)
		if len(rows) != 2 || next != encodeCursor(pos("b")) {
			t.Errorf("pageOf = %v, %q", rows, next)
		}
	})
	t.Run("no further row: the last page", func(t *testing.T) {
		rows, next := pageOf(k, []string{"c", "b"}, pos)
		if len(rows) != 2 || next != "" {
			t.Errorf("pageOf = %v, %q", rows, next)
		}
	})
	t.Run("no rows: an empty page, not null", func(t *testing.T) {
		rows, next := pageOf(k, nil, pos)
		if rows == nil || next != "" {
			t.Errorf("pageOf = %#v, %q", rows, next)
		}
	})
}
