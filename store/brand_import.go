package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// ImportBrand writes the record of a brand admitted before the system, as
// its process's first step: the brand, active, with no application and its
// current record (the 推荐表's identifying fields) in current_form. A brand
// already there is left alone, so a retried step writes nothing twice.
func (s *Store) ImportBrand(ctx context.Context, b records.BrandImport) error {
	form, err := json.Marshal(map[string]string{"brand_name": b.Name, "unit_name": b.UnitName, "uscc": b.USCC,
		"brand_type": b.BrandType, "category": b.Category, "county_code": b.CountyCode})
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `
		INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc,
		                    admitted_on, updated_at, name_key, current_form)
		VALUES ($1, NULL, $2, 'active', $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO NOTHING`, b.BrandID, b.Name, b.CountyCode, b.Category, b.BrandType, b.UnitName, b.USCC,
		b.AdmittedOn.String(), b.At, namekey.Key(b.Name), form)
	if err != nil {
		return fmt.Errorf("import brand %s: %w", b.BrandID, err)
	}
	return nil
}

// ImportConflict is what keeps a brand from the library (RULES §3, §6):
// its message, in Chinese, and whether it is the name's or the USCC's.
type ImportConflict struct {
	OnName  bool
	Message string
}

// ImportConflicts checks a brand to import, of id, against the library as
// it stands on today: a ban (第十五条（四）), another brand of its holder, a
// code a stranger registered, an open application of the holder or under
// the name, another brand of the name. The import checks each row with it,
// and the brand's process again as it writes the record — the library's
// lock may have been given back meanwhile (a worker slow to write).
func (s *Store) ImportConflicts(ctx context.Context, id, name, uscc, today string) ([]ImportConflict, error) {
	var out []ImportConflict
	ban, err := s.FindBan(ctx, name, uscc, today)
	if err != nil {
		return nil, err
	}
	if ban != nil { // five years from removal
		out = append(out, ImportConflict{OnName: namekey.Key(ban.BrandName) == namekey.Key(name),
			Message: fmt.Sprintf("属于被移出项目库的品牌“%s”，%s（含当日）前不得入库", ban.BrandName, ban.Until)})
	}
	holder, err := s.HolderBrandInLibrary(ctx, uscc)
	if err != nil {
		return nil, err
	}
	if holder != "" && holder != id {
		out = append(out, ImportConflict{Message: fmt.Sprintf("该单位已有劳务品牌在项目库中（%s）", holder)})
	}
	// RULES §6: a brand imported is not handed to an account a stranger
	// may have registered under its holder's code (one imported before is
	// there already: its check is that it is).
	if holder == "" {
		if registered, err := s.SelfRegistered(ctx, uscc); err != nil {
			return nil, err
		} else if registered {
			out = append(out, ImportConflict{Message: "该统一社会信用代码下已有自行注册的单位账号，导入后该账号即可办理本品牌；须先由系统管理员核实，不属于本单位的予以停用，再导入"})
		}
	}
	if app, err := s.HolderOpenApplication(ctx, uscc); err != nil {
		return nil, err
	} else if app != "" {
		out = append(out, ImportConflict{Message: fmt.Sprintf("该单位有正在办理的申请（%s），待其办结后再导入", app)})
	}
	taken, err := s.NameTaken(ctx, name, "", id)
	switch {
	case err != nil:
		return nil, err
	case taken != nil && taken.Kind == "brand":
		out = append(out, ImportConflict{OnName: true, Message: fmt.Sprintf("项目库中已有同名劳务品牌（%s，名称按规范形式比较）", taken.ID)})
	case taken != nil:
		out = append(out, ImportConflict{OnName: true, Message: "该品牌名称已有正在办理的申请（名称按规范形式比较）"})
	}
	return out, nil
}

// BrandsOnRecord returns which of ids have a brand record: an import skips
// the brands an earlier upload brought. "Already" is decided by the row, the
// first thing a brand's process writes.
func (s *Store) BrandsOnRecord(ctx context.Context, ids []string) (map[string]bool, error) {
	return s.idsFound(ctx, "brands on record", `SELECT id FROM brands WHERE id = ANY($1)`, ids)
}

// BrandsBegun returns which of ids have their process's first step on
// record: the admission in their history, written in one transaction with
// the standing an imported brand brings (a rectification, a suspension). The
// brand's row alone is not enough: ImportBrand writes it a step earlier, and
// until the admission is recorded the brand reads as active with nothing open.
func (s *Store) BrandsBegun(ctx context.Context, ids []string) (map[string]bool, error) {
	return s.idsFound(ctx, "brands begun",
		`SELECT DISTINCT brand_id FROM brand_events WHERE brand_id = ANY($1) AND action = 'admitted'`, ids)
}

// idsFound runs query, which selects some of ids ($1), and returns them as a set.
func (s *Store) idsFound(ctx context.Context, what, query string, ids []string) (map[string]bool, error) {
	rows, _ := s.pool.Query(ctx, query, ids)
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make(map[string]bool, len(found))
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// importLockKey is the advisory lock one import holds while it checks its
// rows against the library and starts them (its session's, so a stopped
// API releases it).
const importLockKey = 0x6c62696d706f7274 // "lbimport"

// libraryLockKey guards who may be in the library against an import: an
// import holds it exclusively from its checks until its records are
// written, and each new application's transaction takes it shared, so that
// a holder's submission cannot fall between an import's check and its
// record (two brands, or a brand and an application, for one holder).
const libraryLockKey = 0x6c626c6962726172 // "lblibrar"

// HoldLibrary takes the library's lock shared for a decision that puts a
// name or a holder into the library — the city's approval of a change of
// either — from its check that they are free until its writes are made, as a
// submission's transaction does: an import checking the library meanwhile
// would find them free too (RULES §3). ok is false while an import holds it.
// The lock is held on a connection of its own, not one of the pool's — the
// decision's checks and writes need the pool meanwhile — and release, which
// must be called when ok, closes it: its lock goes with it whatever happened.
func (s *Store) HoldLibrary(ctx context.Context) (release func(), ok bool, err error) {
	conn, ok, err := s.trySessionLock(ctx, `SELECT pg_try_advisory_lock_shared($1)`, libraryLockKey)
	if err != nil || !ok {
		return nil, false, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.Close(ctx)
	}, true, nil
}

// HoldHolderCode holds a holder code's lock (lockHolderCode) on a session
// of its own until release: a city's approval of a change to code holds
// it from its check that nobody registered under code to its write, so
// that a self-registration under code waits and then finds the brand.
func (s *Store) HoldHolderCode(ctx context.Context, code string) (release func(), err error) {
	conn, err := s.lockSession(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+holderCodeLockKey+`)`, code); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("hold holder code %s: %w", code, err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.Close(ctx) // the session's end releases the lock
	}, nil
}

// lockSession opens a connection of its own for a session lock. Such a lock
// outlives a request, and its server would hold it for as long as the
// connection seems alive: should this API's node vanish (a crash, a
// partition; a pod killed closes its connections), the server's keepalives
// find it gone within a minute and a half and end the session, instead of
// after the kernel's two hours — every import, or every submission and zone
// save, refused meanwhile.
func (s *Store) lockSession(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 6`); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// trySessionLock opens a lock session and tries the advisory lock key with
// try (pg_try_advisory_lock or its shared form): the session when it got it,
// none (closed) when another holds it or the attempt failed.
func (s *Store) trySessionLock(ctx context.Context, try string, key int64) (*pgx.Conn, bool, error) {
	conn, err := s.lockSession(ctx)
	if err != nil {
		return nil, false, err
	}
	var ok bool
	if err := conn.QueryRow(ctx, try, key).Scan(&ok); err != nil || !ok {
		conn.Close(context.Background())
		return nil, false, err
	}
	return conn, true, nil
}

// ErrImportInProgress is CreateApplication's answer while an import of
// brands is checking and writing the library: the submission is refused,
// nothing written, and may be sent again once the import is done.
var ErrImportInProgress = errors.New("an import of brands is in progress")

// LockImport takes the import's lock, or reports false when another import
// holds it (or applications being stored kept it from the import for
// longer than a few seconds): two sheets checked at once could each find a
// holder, or a name, free and start two brands for it. While it is held no
// new application is stored (ErrImportInProgress). release gives it back.
func (s *Store) LockImport(ctx context.Context) (release func(), ok bool, err error) {
	// A session of its own, not one of the pool's: an import holds it for
	// minutes, and its rows' checks need the pool.
	conn, ok, err := s.trySessionLock(ctx, `SELECT pg_try_advisory_lock($1)`, importLockKey)
	if err != nil || !ok {
		return nil, false, err
	}
	// Submissions under way hold the library's lock for a transaction's
	// milliseconds, a change's approval for its Update's (HoldLibrary):
	// wait for them, not longer.
	if _, err := conn.Exec(ctx, `SET lock_timeout = '5s'`); err != nil {
		conn.Close(context.Background())
		return nil, false, err
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(libraryLockKey)); err != nil {
		conn.Close(context.Background())
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() {
		// Closing the session gives its lock back, whatever the request's
		// context has become.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.Close(ctx)
	}, true, nil
}
