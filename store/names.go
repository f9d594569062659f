package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
)

// One name, one brand (RULES §3): a brand name is held by a brand in the
// library, an open application or a ban, compared by its key
// (internal/domain/namekey), never as typed.

// ActiveBan is a five-year ban that matches an application.
type ActiveBan struct {
	BrandName string `json:"brand_name"`
	Until     string `json:"until"`
	Reason    string `json:"reason"`
	// ByName and ByUSCC say what of the asker's the ban matched: its brand
	// name (by key), its holder's USCC, or both.
	ByName bool `json:"-"`
	ByUSCC bool `json:"-"`
}

// FindBan returns the ban in force on day that matches the brand name, by
// its key (RULES §3), or the USCC (RULES §4 Decision), or nil. An empty name
// or USCC matches nothing.
func (s *Store) FindBan(ctx context.Context, brandName, uscc, day string) (*ActiveBan, error) {
	key := ""
	if brandName != "" {
		key = namekey.Key(brandName)
	}
	var b ActiveBan
	// The ban that ends last, and what of the asker's every ban in force
	// matched: a name and a USCC may be banned by two removals.
	err := s.pool.QueryRow(ctx, `
		SELECT (array_agg(brand_name ORDER BY until DESC))[1], to_char(max(until), 'YYYY-MM-DD'),
		       (array_agg(reason ORDER BY until DESC))[1],
		       coalesce(bool_or(name_key = $1 AND $1 <> ''), false), coalesce(bool_or(uscc = $2 AND $2 <> ''), false)
		FROM bans
		WHERE ((name_key = $1 AND $1 <> '') OR (uscc = $2 AND $2 <> '')) AND decided_on <= $3 AND until >= $3
		HAVING count(*) > 0`, key, uscc, day).Scan(&b.BrandName, &b.Until, &b.Reason, &b.ByName, &b.ByUSCC)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// NameConflict is what holds a brand name already: a brand in the library
// (Kind "brand") or an open application ("application"), by ID.
type NameConflict struct {
	Kind string
	ID   string
}

// NameTaken reports what holds name, compared by its key (RULES §3, one
// name, one brand): a brand in the library that is not removed, or an open
// application; exceptApplication and exceptBrand are the asker itself. nil
// when the name is free.
func (s *Store) NameTaken(ctx context.Context, name, exceptApplication, exceptBrand string) (*NameConflict, error) {
	return nameTaken(ctx, s.pool, namekey.Key(name), exceptApplication, exceptBrand)
}

func nameTaken(ctx context.Context, q rowQuerier, key, exceptApplication, exceptBrand string) (*NameConflict, error) {
	return heldBy(ctx, q, "name_key", key, exceptApplication, exceptBrand)
}

// heldBy is what holds value in column (name_key or uscc, a column both
// brands and applications have): a brand in the library that is not
// removed, or an open application, but for the asker itself.
func heldBy(ctx context.Context, q rowQuerier, column, value, exceptApplication, exceptBrand string) (*NameConflict, error) {
	var c NameConflict
	err := q.QueryRow(ctx, `
		SELECT 'brand', id FROM brands WHERE `+column+` = $1 AND status <> 'removed' AND id <> $3
		UNION ALL
		SELECT 'application', id FROM applications WHERE `+column+` = $1 AND id <> $2
		    AND stage NOT IN ('admitted', 'rejected', 'withdrawn')
		LIMIT 1`, value, exceptApplication, exceptBrand).Scan(&c.Kind, &c.ID)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", column, err)
	}
	return &c, nil
}

// HolderOpenApplication is the id of an application of uscc still being
// decided, "" when none: its admission would give the holder a second
// brand beside one imported meanwhile (RULES §3: one brand per holder).
func (s *Store) HolderOpenApplication(ctx context.Context, uscc string) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id FROM applications WHERE uscc = $1
		AND stage NOT IN ('admitted', 'rejected', 'withdrawn') ORDER BY id LIMIT 1`, uscc).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return id, err
}

// HolderTaken reports what holds uscc already (RULES §3, one brand per
// holder): a brand in the library that is not removed, or an open
// application; exceptApplication and exceptBrand are the asker itself. nil
// when the holder has neither.
func (s *Store) HolderTaken(ctx context.Context, uscc, exceptApplication, exceptBrand string) (*NameConflict, error) {
	return heldBy(ctx, s.pool, "uscc", uscc, exceptApplication, exceptBrand)
}

// HolderBrandInLibrary is the brand in the library (not removed) held by
// the unit with uscc, or "" when it holds none.
func (s *Store) HolderBrandInLibrary(ctx context.Context, uscc string) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id FROM brands WHERE uscc = $1 AND status <> 'removed' ORDER BY id LIMIT 1`, uscc).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return id, err
}
