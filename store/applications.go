package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/expertdraw"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// ErrOpenApplication: the brand name or holder already has an open
// application. The error returned is one of the two below, which say which;
// errors.Is matches either with ErrOpenApplication.
var ErrOpenApplication = errors.New("an open application exists for this brand name or holder")

var (
	ErrOpenApplicationName   = fmt.Errorf("%w: the brand name", ErrOpenApplication)
	ErrOpenApplicationHolder = fmt.Errorf("%w: the holder", ErrOpenApplication)
)

// openApplication is what a unique violation of an application row stands
// for — the name or the USCC of an open application taken, or the row
// stored already by a retry that raced this one — or nil for any other
// error. The index names are those of store/name_key_migration.go.
func openApplication(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return nil
	}
	switch pgErr.ConstraintName {
	case "applications_open_name_key", "applications_open_name":
		return ErrOpenApplicationName
	case "applications_open_uscc":
		return ErrOpenApplicationHolder
	case "applications_pkey":
		return ErrApplicationExists
	}
	return nil
}

// ErrNameInLibrary: a brand in the library (not removed) has this name.
var ErrNameInLibrary = errors.New("a brand in the library has this name")

// ErrApplicationExists: an application with this ID is stored already.
var ErrApplicationExists = errors.New("application stored already")

// SubmittedForm reads the 推荐表 an application was submitted with (its
// first revision).
func (s *Store) SubmittedForm(ctx context.Context, id string) (json.RawMessage, error) {
	var raw json.RawMessage
	err := s.pool.QueryRow(ctx, `SELECT form FROM application_forms WHERE application_id = $1 AND revision = 1`, id).Scan(&raw)
	return raw, notFound(err)
}

// NewApplication is a submitted 推荐表 as the API validated it.
type NewApplication struct {
	ID                 string
	RoundID            string
	BrandName          string
	BrandType          string
	Category           string
	CountyCode         string
	UnitName           string
	USCC               string
	Form               any // the whole form, personal data included
	Eligibility        any
	NameWarnings       []string
	OnBehalf           bool
	USCCOverrideReason string
	SubmittedAt        time.Time
	SubmittedBy        string
	SubmittedRole      string
	// ProcessInput is the input the application's process starts with; it is
	// kept with the submission until the process has started (StartPending).
	ProcessInput any
	// ReviewerRevision is the revision of the county's 初审 unit the input's
	// reviewer was read at (Reviewer): a zone saved since is refused
	// (ErrReviewerChanged), so that no process starts with a bureau its
	// zone's telling has passed over.
	ReviewerRevision int
	// BroughtOver marks an application in flight when the system started,
	// stored at Stage (its process records where it stands as its first
	// step), with the objections to its notice not yet ruled as drafts its
	// process opens.
	BroughtOver bool
	Stage       string
	Objections  []ObjectionDraft
}

// ErrReviewerChanged is CreateApplication's answer when the county's 初审
// unit was saved since its reviewer was read: read it again and resubmit.
var ErrReviewerChanged = errors.New("the review unit was saved since its reviewer was read")

// HolderInLibraryError is CreateApplication's answer when the holder has
// a brand in the library (RULES §3), found under the import's lock.
type HolderInLibraryError struct{ BrandID string }

func (e *HolderInLibraryError) Error() string {
	return "the holder has brand " + e.BrandID + " in the library"
}

// CreateApplication stores a submission with the process it must get
// (application_starts); the caller starts that process after the commit
// and marks it (MarkStarted). If the brand name or holder has an open
// application, it returns ErrOpenApplication and writes nothing; if an
// application with a.ID is stored already (a retried submission), it
// returns ErrApplicationExists and writes nothing; while an import of
// brands holds the library (LockImport), ErrImportInProgress.
func (s *Store) CreateApplication(ctx context.Context, a NewApplication) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE id = $1)`, a.ID).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return ErrApplicationExists
		}
		var free bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1)`, int64(libraryLockKey)).Scan(&free); err != nil {
			return err
		}
		if !free {
			return ErrImportInProgress
		}
		if a.OnBehalf {
			// Checked by the API before; again here, under the code's lock,
			// against a registration committed in between.
			if err := lockHolderCode(ctx, tx, a.USCC); err != nil {
				return err
			}
			if registered, err := selfRegisteredIn(ctx, tx, a.USCC); err != nil || registered {
				return cmp.Or(err, ErrHolderSelfRegistered)
			}
		}
		// The zone's row is held until the commit: a save of it waits, and
		// its telling then finds this application on record.
		var revision int
		switch err := tx.QueryRow(ctx, `SELECT revision FROM review_units WHERE county_code = $1 FOR SHARE`, a.CountyCode).Scan(&revision); {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		}
		if revision != a.ReviewerRevision {
			return ErrReviewerChanged
		}
		key := namekey.Key(a.BrandName)
		form, _ := json.Marshal(a.Form)
		elig, _ := json.Marshal(a.Eligibility)
		warn, _ := json.Marshal(nonNil(a.NameWarnings))
		stage := "county_review"
		if a.BroughtOver && a.Stage != "" {
			stage = a.Stage
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc,
			    form, eligibility, name_warnings, on_behalf, uscc_override_reason, submitted_at, submitted_by, updated_at, name_key)
			VALUES ($1, $2, $17, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $16)`,
			a.ID, a.RoundID, a.BrandName, a.BrandType, a.Category, a.CountyCode, a.UnitName, a.USCC,
			form, elig, warn, a.OnBehalf, a.USCCOverrideReason, a.SubmittedAt, a.SubmittedBy, key, stage)
		if open := openApplication(err); open != nil {
			return open
		}
		if err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		// Checked again under the lock, and after the insert: a brand
		// imported since the caller's check is on record now, and so is one
		// admitted meanwhile — the insert waited for the admission's commit
		// on the open application it replaced, and a statement after it
		// sees the brand that commit made (RULES §3: one brand per holder,
		// one name, one brand).
		var brandID string
		switch err := tx.QueryRow(ctx, `SELECT id FROM brands WHERE uscc = $1 AND status <> 'removed' ORDER BY id LIMIT 1`,
			a.USCC).Scan(&brandID); {
		case err == nil:
			return &HolderInLibraryError{BrandID: brandID}
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if taken, err := nameTaken(ctx, tx, key, a.ID, ""); err != nil {
			return err
		} else if taken != nil && taken.Kind == "brand" {
			return ErrNameInLibrary
		}
		if _, err := tx.Exec(ctx, `INSERT INTO application_forms (application_id, revision, form, applied, created_at, created_by)
			VALUES ($1, 1, $2, true, $3, $4)`, a.ID, form, a.SubmittedAt, a.SubmittedBy); err != nil {
			return err
		}
		note := ""
		if a.OnBehalf {
			note = "市级代录"
		}
		if a.BroughtOver {
			note = "系统上线前提交，在办申请转入"
		}
		if err := insertEvent(ctx, tx, a.ID, "submit:"+a.ID, a.SubmittedAt, a.SubmittedBy, a.SubmittedRole, "submitted", note); err != nil {
			return err
		}
		after := map[string]any{"brand_name": a.BrandName, "county_code": a.CountyCode, "round_id": a.RoundID, "on_behalf": a.OnBehalf}
		if a.BroughtOver {
			after["brought_over"] = map[string]any{"stage": stage, "objections": len(a.Objections)}
		}
		for _, o := range a.Objections {
			o.ApplicationID = a.ID
			if _, err := fileObjection(ctx, tx, o); err != nil {
				return err
			}
		}
		if a.USCCOverrideReason != "" {
			after["uscc_override_reason"] = a.USCCOverrideReason // RULES §2: the override is audited
		}
		if err := AppendAudit(ctx, tx, AuditEntry{At: a.SubmittedAt, Actor: a.SubmittedBy, Role: a.SubmittedRole,
			Action: "application.submit", ObjectType: "application", ObjectID: a.ID, After: after}); err != nil {
			return err
		}
		input, err := json.Marshal(a.ProcessInput)
		if err != nil {
			return fmt.Errorf("process input of %s: %w", a.ID, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO application_starts (application_id, input) VALUES ($1, $2)`, a.ID, input)
		return err
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SaveFormRevision stores a resubmitted form, not yet applied; the
// application's process applies it when it accepts the resubmission.
// request names the revision (the API's recordID; empty without an
// Idempotency-Key): a revision already stored under that name is not stored
// again, and its form is returned as earlier, for the caller to compare —
// a retry after a lost answer sends the same 推荐表, a key reused does not.
// The application's row is locked, so that two resubmissions at once are
// numbered one after the other.
func (s *Store) SaveFormRevision(ctx context.Context, id, request string, form, eligibility any, warnings []string,
	at time.Time, actor, role string) (rev int, earlier json.RawMessage, err error) {
	raw, _ := json.Marshal(map[string]any{"form": form, "eligibility": eligibility, "name_warnings": nonNil(warnings)})
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM applications WHERE id = $1 FOR UPDATE`, id); err != nil {
			return fmt.Errorf("application %s: %w", id, err)
		}
		earlier = nil
		// Numbered after every revision ever stored: one its process refused
		// and the API removed keeps its number, which the process was told
		// (a stored supplement is taken only when newer than that).
		err := tx.QueryRow(ctx, `
			INSERT INTO application_forms (application_id, revision, form, created_at, created_by, created_role, request_id)
			SELECT $1, greatest(coalesce(max(revision), 0), (SELECT revisions_taken FROM applications WHERE id = $1)) + 1,
				$2, $3, $4, nullif($6, ''), nullif($5, '') FROM application_forms WHERE application_id = $1
			ON CONFLICT (application_id, request_id) DO NOTHING
			RETURNING revision`, id, raw, at, actor, request, role).Scan(&rev)
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE applications SET revisions_taken = $2 WHERE id = $1`, id, rev)
			return err
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		rev, earlier, err = formRevisionByRequest(ctx, tx, id, request)
		return err
	})
	return rev, earlier, err
}

// DropFormRevision removes a stored revision its process refused; one the
// process applied, or a later one, is never removed.
func (s *Store) DropFormRevision(ctx context.Context, id string, revision int) error {
	_, err := s.pool.Exec(ctx, `
		DELETE FROM application_forms f USING applications a
		WHERE f.application_id = $1 AND f.revision = $2 AND a.id = f.application_id AND a.form_revision < $2
		  AND NOT EXISTS (SELECT 1 FROM application_forms g WHERE g.application_id = $1 AND g.revision > $2)`, id, revision)
	return err
}

// FormRevisionApplied reports whether an application's revision is in
// force (or a newer one is).
func (s *Store) FormRevisionApplied(ctx context.Context, id string, revision int) (bool, error) {
	var applied bool
	err := s.pool.QueryRow(ctx, `SELECT form_revision >= $2 FROM applications WHERE id = $1`, id, revision).Scan(&applied)
	return applied, notFound(err)
}

// FormRevisionByRequest reads the revision of an application's form stored
// under request (SaveFormRevision), and its form; ErrNotFound when none is.
func (s *Store) FormRevisionByRequest(ctx context.Context, id, request string) (rev int, form json.RawMessage, err error) {
	return formRevisionByRequest(ctx, s.pool, id, request)
}

func formRevisionByRequest(ctx context.Context, q rowQuerier, id, request string) (rev int, form json.RawMessage, err error) {
	err = q.QueryRow(ctx, `SELECT revision, form->'form' FROM application_forms WHERE application_id = $1 AND request_id = $2`,
		id, request).Scan(&rev, &form)
	return rev, form, notFound(err)
}

// RecordStep writes st and runs extra in the same transaction, once: a step
// whose key was recorded before is skipped entirely (a retried activity).
func (s *Store) RecordStep(ctx context.Context, st records.Step, extra func(pgx.Tx) error) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var stage, uscc, county, brand string
		recorded, err := lockStep(ctx, tx, `SELECT stage, uscc, county_code, brand_name FROM applications WHERE id = $1 FOR UPDATE`,
			[]any{st.ApplicationID}, func(r pgx.Row) error { return r.Scan(&stage, &uscc, &county, &brand) },
			`SELECT EXISTS (SELECT 1 FROM application_events WHERE dedupe_key = $1)`, st.Key)
		if err != nil {
			return fmt.Errorf("application %s: %w", st.ApplicationID, err)
		}
		if recorded {
			return nil
		}
		if extra != nil {
			if err := extra(tx); err != nil {
				return err
			}
		}
		w := &writes{}
		deadlines, _ := json.Marshal(nonNilDeadlines(st.Deadlines))
		w.exec("update application "+st.ApplicationID, `UPDATE applications SET stage = $2, deadlines = $3,
			notice_start = coalesce($4::date, notice_start), notice_end = coalesce($5::date, notice_end), updated_at = $6,
			deadline_rules = $7, run_id = coalesce(nullif($8, ''), run_id) WHERE id = $1`,
			st.ApplicationID, st.Stage, deadlines, dateOrNil(st.NoticeStart), dateOrNil(st.NoticeEnd), st.At, rulesOrNil(st.Rules), st.RunID)
		queueEvent(w, st.ApplicationID, st.Key, st.At, st.Actor, st.Role, st.Action, st.Note)
		queueReplaceTasks(w, "application", st.ApplicationID, st.Tasks)
		queueObjectionRulingDues(w, st)
		if st.Stage == "returned" && stage != "returned" {
			// The holder is told with the step, in its transaction: no
			// return is on record without its message (issue 16 item 3).
			if err := w.send(ctx, tx); err != nil {
				return err
			}
			if _, err := enqueueReturning(ctx, tx, ReturnedMessage(st, uscc, county, brand)); err != nil {
				return err
			}
		}
		if m, ok := applicationDecision(st, stage, uscc, county, brand); ok {
			if err := w.send(ctx, tx); err != nil {
				return err
			}
			if _, err := enqueueReturning(ctx, tx, m); err != nil {
				return err
			}
		}
		if err := queueAudit(w, AuditEntry{At: st.At, Actor: st.Actor, Role: st.Role, Action: "application." + st.Action,
			ObjectType: "application", ObjectID: st.ApplicationID,
			Before: map[string]string{"stage": stage},
			After:  map[string]any{"stage": st.Stage, "note": st.Note, "detail": st.Audit}}); err != nil {
			return err
		}
		return w.send(ctx, tx)
	})
}

// objectionDayKind is the kind of a day's ruling deadline, + the day of
// receipt (workflows' keyObjectionDay).
const objectionDayKind = "objection_day:"

// queueObjectionRulingDues keeps each open day's ruling deadline on record
// as the step's deadlines have it: a calendar revision that moves a day's
// clock moves the date its objectors and the city read (第十三条).
func queueObjectionRulingDues(w *writes, st records.Step) {
	for _, d := range st.Deadlines {
		day, ok := strings.CutPrefix(d.Kind, objectionDayKind)
		if !ok {
			continue
		}
		w.exec("ruling due of "+d.Kind, `UPDATE objection_days SET ruling_due = $3
			WHERE application_id = $1 AND received_on = $2::date AND ruling_due IS DISTINCT FROM $3::date`, st.ApplicationID, day, d.Due.String())
		w.exec("ruling due of the objections of "+d.Kind, `UPDATE objections SET ruling_due = $3
			WHERE application_id = $1 AND received_on = $2::date AND status IN ('draft', 'open') AND ruling_due IS DISTINCT FROM $3::date`,
			st.ApplicationID, day, d.Due.String())
	}
}

// ReturnedKind is the kind of the message that tells a holder its
// application was returned for supplement.
const ReturnedKind = "returned"

// ReturnedMessage is the holder's message of a step that returns its
// application: the officer's opinion, the resubmission deadline and where
// to resubmit (the console's form). Its dedupe key is the step's.
func ReturnedMessage(st records.Step, uscc, county, brand string) Message {
	due := ""
	for _, d := range st.Deadlines {
		if d.Kind == "resubmission" {
			due = d.Due.String()
		}
	}
	link := "/holder/applications/" + st.ApplicationID + "/resubmit"
	title := fmt.Sprintf("【退回补充】%s：请修改后重新提交", brand)
	body := fmt.Sprintf("“%s”的推荐表被退回补充材料。退回意见：%s", brand, sentence(st.Note))
	if due != "" {
		title = fmt.Sprintf("【退回补充】%s：请修改后重新提交，期限至%s", brand, due)
		body += fmt.Sprintf("请按意见补充材料，于%s（当日24时止）前修改后重新提交；期满未重新提交的，申请视为撤回。", due)
	}
	return Message{DedupeKey: ReturnedMessageKey(st.Key), Kind: ReturnedKind, Audience: "applicant", County: county, USCC: uscc,
		ObjectType: "application", ObjectID: st.ApplicationID, Title: title, Body: body + "重新提交入口：" + link, Due: due, CreatedAt: st.At}
}

// ReturnedMessageKey is the dedupe key of the message a returning step
// with key stepKey writes.
func ReturnedMessageKey(stepKey string) string { return stepKey + "/returned/applicant" }

func nonNilDeadlines(d []calendar.Deadline) []calendar.Deadline {
	if d == nil {
		return []calendar.Deadline{}
	}
	return d
}

func dateOrNil(d calendar.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func insertEvent(ctx context.Context, tx pgx.Tx, appID, key string, at time.Time, actor, role, action, note string) error {
	w := &writes{}
	queueEvent(w, appID, key, at, actor, role, action, note)
	return w.send(ctx, tx)
}

func queueEvent(w *writes, appID, key string, at time.Time, actor, role, action, note string) {
	w.exec("record "+action+" of "+appID, `INSERT INTO application_events (application_id, at, actor, role, action, note, dedupe_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING`, appID, at, actor, role, action, note, key)
}

// ApplyFormRevision makes a stored revision the application's form (in a
// RecordStep's transaction).
func ApplyFormRevision(ctx context.Context, tx pgx.Tx, id string, revision int) error {
	var raw []byte
	if err := tx.QueryRow(ctx, `SELECT form FROM application_forms WHERE application_id = $1 AND revision = $2`, id, revision).Scan(&raw); err != nil {
		return fmt.Errorf("form revision %d of %s: %w", revision, id, notFound(err))
	}
	var rev struct {
		Form         json.RawMessage `json:"form"`
		Eligibility  json.RawMessage `json:"eligibility"`
		NameWarnings json.RawMessage `json:"name_warnings"`
	}
	if err := json.Unmarshal(raw, &rev); err != nil {
		return err
	}
	var f struct {
		BrandName  string `json:"brand_name"`
		BrandType  string `json:"brand_type"`
		Category   string `json:"category"`
		UnitName   string `json:"unit_name"`
		CountyCode string `json:"county_code"`
	}
	json.Unmarshal(rev.Form, &f)
	if _, err := tx.Exec(ctx, `UPDATE application_forms SET applied = true WHERE application_id = $1 AND revision = $2`, id, revision); err != nil {
		return err
	}
	// As a submission's: not while an import checks the library (retried
	// after it), and the name checked again after the write, against the
	// brands one imported or admitted meanwhile (RULES §3).
	var free bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1)`, int64(libraryLockKey)).Scan(&free); err != nil {
		return err
	}
	if !free {
		return ErrImportInProgress
	}
	key := namekey.Key(f.BrandName)
	_, err := tx.Exec(ctx, `UPDATE applications SET form = $2, eligibility = $3, name_warnings = $4, form_revision = $5,
		brand_name = $6, brand_type = $7, category = $8, unit_name = $9, name_key = $10 WHERE id = $1`,
		id, []byte(rev.Form), []byte(rev.Eligibility), []byte(rev.NameWarnings), revision, f.BrandName, f.BrandType, f.Category, f.UnitName, key)
	if open := openApplication(err); open != nil {
		// Another open application took the name after the API checked it:
		// the resubmission is refused for good, never retried.
		return open
	}
	if err != nil {
		return err
	}
	if taken, err := nameTaken(ctx, tx, key, id, ""); err != nil {
		return err
	} else if taken != nil && taken.Kind == "brand" {
		return ErrNameInLibrary
	}
	return nil
}

// StoredRevision is the newest supplement of an application stored after
// revision q.After, from q.Since and before q.Before, and never applied (records.
// StoredRevision; Revision 0 when none): one the API stored in time and
// could not tell its process.
func (s *Store) StoredRevision(ctx context.Context, q records.StoredRevisionQuery) (records.StoredRevision, error) {
	var r records.StoredRevision
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT revision, created_by, coalesce(created_role, ''), created_at, form -> 'form' FROM application_forms
		WHERE application_id = $1 AND revision > $2 AND NOT applied AND created_at >= $4 AND created_at < $3
		ORDER BY revision DESC LIMIT 1`, q.ApplicationID, q.After, q.Before, q.Since).Scan(&r.Revision, &r.By, &r.Role, &r.At, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return records.StoredRevision{}, nil
	}
	if err != nil {
		return r, err
	}
	var f struct {
		BrandName string `json:"brand_name"`
		BrandType string `json:"brand_type"`
		Category  string `json:"category"`
		UnitName  string `json:"unit_name"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return r, fmt.Errorf("revision %d of %s: %w", r.Revision, q.ApplicationID, err)
	}
	r.BrandName, r.BrandType, r.Category, r.UnitName = f.BrandName, f.BrandType, f.Category, f.UnitName
	return r, nil
}

// SaveDraw records an expert draw (in a RecordStep's transaction).
func SaveDraw(ctx context.Context, tx pgx.Tx, appID string, drawNo int, seed uint64, requested int, pool []string, fallback bool, drawn []string, at time.Time, actor string) error {
	_, err := tx.Exec(ctx, `INSERT INTO expert_draws (application_id, draw_no, seed, requested, pool, fallback, drawn, at, actor)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
		appID, drawNo, int64(seed), requested, nonNil(pool), fallback, nonNil(drawn), at, actor)
	return err
}

// SaveOpinion records an expert's opinion (in a RecordStep's transaction).
func SaveOpinion(ctx context.Context, tx pgx.Tx, appID, expertID string, score int, recommend bool, comment string, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO expert_opinions (application_id, expert_id, score, recommend, comment, at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, appID, expertID, score, recommend, comment, at)
	return err
}

// SaveSiteVisit records a site visit (in a RecordStep's transaction).
func SaveSiteVisit(ctx context.Context, tx pgx.Tx, id, appID string, visitedOn calendar.Date, findings string, at time.Time, actor string) error {
	_, err := tx.Exec(ctx, `INSERT INTO site_visits (id, application_id, visited_on, findings, at, actor)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, id, appID, visitedOn.String(), findings, at, actor)
	return err
}

// AcceptObjection opens an objection with its ruling deadline (in a
// RecordStep's transaction).
func AcceptObjection(ctx context.Context, tx pgx.Tx, id string, rulingDue calendar.Date) error {
	_, err := tx.Exec(ctx, `UPDATE objections SET status = 'open', ruling_due = $2 WHERE id = $1 AND status = 'draft'`, id, rulingDue.String())
	return err
}

// RuleObjection records the city's ruling (in a RecordStep's transaction).
func RuleObjection(ctx context.Context, tx pgx.Tx, id string, upheld bool, reason string, at time.Time, actor string) error {
	status := "dismissed"
	if upheld {
		status = "upheld"
	}
	_, err := tx.Exec(ctx, `UPDATE objections SET status = $2, ruling_reason = $3, ruled_at = $4, ruled_by = $5 WHERE id = $1`,
		id, status, reason, at, actor)
	return err
}

// CreateBrand creates the brand record of an admitted application (in a
// RecordStep's transaction).
func CreateBrand(ctx context.Context, tx pgx.Tx, brandID, appID string, admittedOn calendar.Date, at time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, name_key)
		SELECT $1, id, brand_name, 'active', county_code, category, brand_type, unit_name, uscc, $3, $4, name_key FROM applications WHERE id = $2
		ON CONFLICT (id) DO NOTHING`, brandID, appID, admittedOn.String(), at)
	if err != nil {
		return fmt.Errorf("create brand %s: %w", brandID, err)
	}
	_, err = tx.Exec(ctx, `UPDATE applications SET brand_id = $2 WHERE id = $1`, appID, brandID)
	return err
}

// Draw reads a recorded expert draw.
func (s *Store) Draw(ctx context.Context, appID string, drawNo int) (expertdraw.Result, error) {
	var r expertdraw.Result
	err := s.pool.QueryRow(ctx, `SELECT pool, fallback, drawn FROM expert_draws WHERE application_id = $1 AND draw_no = $2`,
		appID, drawNo).Scan(&r.Pool, &r.Fallback, &r.Drawn)
	return r, notFound(err)
}

// StepsRecorded returns those of keys whose step is on record, in an
// application's history or a brand's: each such step was written whole,
// with everything its transaction carried.
// ObjectsOfSteps are the applications and the brands whose steps with
// these keys are on record.
func (s *Store) ObjectsOfSteps(ctx context.Context, keys []string) (applications, brands []string, err error) {
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT 'application', application_id FROM application_events WHERE dedupe_key = ANY($1)
		UNION
		SELECT DISTINCT 'brand', brand_id FROM brand_events WHERE dedupe_key = ANY($1)`, keys)
	if err != nil {
		return nil, nil, err
	}
	var kind, id string
	_, err = pgx.ForEachRow(rows, []any{&kind, &id}, func() error {
		if kind == "brand" {
			brands = append(brands, id)
		} else {
			applications = append(applications, id)
		}
		return nil
	})
	return applications, brands, err
}

func (s *Store) StepsRecorded(ctx context.Context, keys []string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT dedupe_key FROM application_events WHERE dedupe_key = ANY($1)
		UNION ALL
		SELECT dedupe_key FROM brand_events WHERE dedupe_key = ANY($1)`, keys)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
