package store

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Page asks for one page of a list: the first when Cursor is empty, else
// the one after the page that gave Cursor out as its next. Limit is the
// page's length, 1..MaxPageLimit; any other value means DefaultPageLimit.
type Page struct {
	Cursor string
	Limit  int
}

// The length of a page.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// ErrBadCursor: the cursor was not one this API gave out.
var ErrBadCursor = errors.New("invalid cursor")

// position is a row's place in a list ordered newest first: its time, and
// its id to break ties.
type position struct {
	at time.Time
	id string
}

// keyset is a page of a list ordered by (time, id) descending. A page reads
// one row more than it returns: that row tells whether a next page exists.
type keyset struct {
	limit int
	after *position // nil on the first page
}

// keyset bounds p's limit and decodes its cursor (ErrBadCursor when it is
// not one of ours).
func (p Page) keyset() (keyset, error) {
	k := keyset{limit: p.Limit}
	if k.limit <= 0 || k.limit > MaxPageLimit {
		k.limit = DefaultPageLimit
	}
	if p.Cursor != "" {
		after, err := decodeCursor(p.Cursor)
		if err != nil {
			return k, err
		}
		k.after = &after
	}
	return k, nil
}

// beforeSerial is, for a list ordered by a serial id, the id the page
// starts below (nil on the first page).
func (k keyset) beforeSerial() (*int64, error) {
	if k.after == nil {
		return nil, nil
	}
	id, err := strconv.ParseInt(k.after.id, 10, 64)
	if err != nil {
		return nil, ErrBadCursor
	}
	return &id, nil
}

// fetch is how many rows a page reads.
func (k keyset) fetch() int { return k.limit + 1 }

// pageOf cuts rows, read with k.fetch(), to k's page and returns it (never
// nil) with the cursor of the next page ("" after the last).
func pageOf[T any](k keyset, rows []T, pos func(T) position) ([]T, string) {
	if len(rows) <= k.limit {
		return nonNilSlice(rows), ""
	}
	rows = rows[:k.limit]
	return rows, encodeCursor(pos(rows[len(rows)-1]))
}

// A cursor is opaque to clients: base64url of "<RFC 3339 time>|<id>".
func encodeCursor(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(p.at.UTC().Format(time.RFC3339Nano) + "|" + p.id))
}

func decodeCursor(c string) (position, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return position{}, ErrBadCursor
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	at, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || !plausibleCursorID(id) || at.Year() < 1 || at.Year() > 9999 {
		return position{}, ErrBadCursor
	}
	return position{at: at, id: id}, nil
}

// plausibleCursorID reports whether id could be a record's id: a cursor
// comes from the client, and PostgreSQL refuses what is not text (a NUL)
// with an error that is not the client's to see.
func plausibleCursorID(id string) bool {
	return len(id) <= 128 && utf8.ValidString(id) && !strings.ContainsFunc(id, unicode.IsControl)
}
