package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Round is a call for applications (申报批次, 第十条).
type Round struct {
	ID        string    `json:"id" doc:"编号"`
	Name      string    `json:"name" doc:"批次名称"`
	OpensOn   string    `json:"opens_on" format:"date" doc:"申报开始日"`
	ClosesOn  string    `json:"closes_on" format:"date" doc:"申报截止日（含当日）"`
	CreatedAt time.Time `json:"created_at" doc:"创建时间"`
}

const roundCols = `id, name, to_char(opens_on, 'YYYY-MM-DD'), to_char(closes_on, 'YYYY-MM-DD'), created_at`

func scanRound(r pgx.CollectableRow) (Round, error) {
	var x Round
	err := r.Scan(&x.ID, &x.Name, &x.OpensOn, &x.ClosesOn, &x.CreatedAt)
	return x, err
}

// CreateRound stores a round and returns the round on record: a round of
// r.ID stored already (a request retried after its answer was lost) is
// answered as it stands, and nothing is written again.
func (s *Store) CreateRound(ctx context.Context, r Round, actor, role string) (Round, error) {
	var stored Round
	err := s.InTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`, r.ID, r.Name, r.OpensOn, r.ClosesOn, r.CreatedAt, actor)
		if err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		if tag.RowsAffected() == 1 {
			if err := AppendAudit(ctx, tx, AuditEntry{At: r.CreatedAt, Actor: actor, Role: role, Action: "round.create",
				ObjectType: "round", ObjectID: r.ID, After: r}); err != nil {
				return err
			}
		}
		rows, _ := tx.Query(ctx, `SELECT `+roundCols+` FROM rounds WHERE id = $1`, r.ID)
		stored, err = pgx.CollectExactlyOneRow(rows, scanRound)
		return err
	})
	return stored, err
}

// GetRound reads one round.
func (s *Store) GetRound(ctx context.Context, id string) (Round, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+roundCols+` FROM rounds WHERE id = $1`, id)
	r, err := pgx.CollectExactlyOneRow(rows, scanRound)
	return r, notFound(err)
}

// Rounds lists rounds, newest first.
func (s *Store) Rounds(ctx context.Context) ([]Round, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+roundCols+` FROM rounds ORDER BY opens_on DESC, id`)
	return pgx.CollectRows(rows, scanRound)
}

// OpenRounds lists the rounds open on day (YYYY-MM-DD).
func (s *Store) OpenRounds(ctx context.Context, day string) ([]Round, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+roundCols+` FROM rounds WHERE opens_on <= $1 AND closes_on >= $1 ORDER BY opens_on, id`, day)
	return pgx.CollectRows(rows, scanRound)
}

// Reviewer is the bureau that does the 初审 of county (RULES §1): itself, or
// the bureau a functional zone is mapped to, as of the zone's revision.
func (s *Store) Reviewer(ctx context.Context, county string) (code string, revision int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT coalesce((SELECT reviewer_code FROM review_units WHERE county_code = $1), $1),
		coalesce((SELECT revision FROM review_units WHERE county_code = $1), 0)`, county).Scan(&code, &revision)
	return code, revision, err
}

// KnownCounty reports whether code is a 初审 unit (a county or a functional
// zone mapped to a reviewing bureau, RULES §1).
func (s *Store) KnownCounty(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM review_units WHERE county_code = $1 AND active)`, code).Scan(&ok)
	return ok, err
}

// RegisteredUnit reports whether code is a 初审 unit on record, taking
// applications or not: a zone that stopped taking them still has brands
// whose periods its local days off count.
func (s *Store) RegisteredUnit(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM review_units WHERE county_code = $1)`, code).Scan(&ok)
	return ok, err
}

// CountyCheck answers form.Options.KnownCounty from the store, asking once
// per code. A failure to ask is kept in Err rather than taken for "not
// served": the caller must answer an unreachable database as such (503),
// never as a wrong county. Not safe for concurrent use.
type CountyCheck struct {
	Err   error
	ctx   context.Context
	store *Store
	known map[string]bool
}

// CountyCheck starts a check of county codes for one request or run.
func (s *Store) CountyCheck(ctx context.Context) *CountyCheck {
	return &CountyCheck{ctx: ctx, store: s, known: map[string]bool{}}
}

// Known reports whether code is served; false too when the store could not
// be asked (see Err).
func (k *CountyCheck) Known(code string) bool {
	if known, asked := k.known[code]; asked || k.Err != nil {
		return known // after a failure, ask no more: the caller answers 503
	}
	known, err := k.store.KnownCounty(k.ctx, code)
	if err != nil {
		k.Err = fmt.Errorf("look up county %q: %w", code, err)
		return false
	}
	k.known[code] = known
	return known
}
