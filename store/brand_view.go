package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// BrandRef is what access checks and decisions need to know about a brand.
type BrandRef struct {
	ID         string
	Status     string
	CountyCode string
	USCC       string
	Name       string
	UnitName   string
	// ReviewerCode is the bureau that reviews its county (RULES §1): the
	// county itself, or for a functional zone the bureau it is pointed at.
	ReviewerCode string
	// RunID is the run of its process that wrote its last step ("" when
	// not known): a decision is addressed to it (api: applyUpdateAs).
	RunID string
}

// GetBrandRef reads a brand's access facts.
func (s *Store) GetBrandRef(ctx context.Context, id string) (BrandRef, error) {
	var r BrandRef
	err := s.pool.QueryRow(ctx, `SELECT id, status, county_code, uscc, name, unit_name, coalesce(run_id, ''),
		       coalesce((SELECT reviewer_code FROM review_units u WHERE u.county_code = b.county_code), b.county_code)
		FROM brands b WHERE id = $1`, id).Scan(&r.ID, &r.Status, &r.CountyCode, &r.USCC, &r.Name, &r.UnitName, &r.RunID, &r.ReviewerCode)
	return r, notFound(err)
}

// BrandView is an admitted brand as API.md shows it, with the records of its
// life. ForHolder views carry nothing that could identify a reporter.
type BrandView struct {
	ID                string               `json:"id" doc:"劳务品牌编号"`
	Name              string               `json:"name" doc:"劳务品牌名称"`
	Status            string               `json:"status" enum:"brand_status" doc:"品牌状态（RULES §4）"`
	CountyCode        string               `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Category          string               `json:"category" enum:"category" doc:"所属类别（第六条）"`
	BrandType         string               `json:"brand_type" enum:"brand_type" doc:"品牌类型：regional 区域公用劳务品牌（第八条），enterprise 企业劳务品牌（第九条）"`
	UnitName          string               `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	ApplicationID     string               `json:"application_id" doc:"申请编号"`
	AdmittedOn        string               `json:"admitted_on" format:"date" doc:"入库日期"`
	Rectification     *RectificationView   `json:"rectification" doc:"正在进行的整改；没有时为 null"`
	Suspension        *SuspensionView      `json:"suspension" doc:"暂停标识使用权的期间；未暂停时为 null"`
	SuspensionCount   int                  `json:"suspension_count" doc:"已被暂停的次数"`
	PendingDecision   *PendingDecisionView `json:"pending_decision" doc:"最急的待办决定（open_matters 中期限最早的决定）；没有时为 null"`
	OpenMatters       []OpenMatterView     `json:"open_matters" doc:"同时在办的全部事项（RULES §4），各有期限"`
	NextEvaluationDue *string              `json:"next_evaluation_due" format:"date" doc:"下次综合评估：评估开始前为开始之日（当日起可提交评估报告），开始后为评估报告的提交期限"`
	RemovedOn         *string              `json:"removed_on" format:"date" doc:"移出项目库日期"`
	ReapplyAfter      *string              `json:"reapply_after" format:"date" doc:"此日（含当日）前不得再次申报（移出后五年）"`
	Deadlines         []DeadlineView       `json:"deadlines" doc:"正在计时的期限"`
	Findings          []FindingView        `json:"findings" doc:"问题认定，最早的在前"`
	Evaluations       []EvaluationView     `json:"evaluations" doc:"综合评估报告"`
	Changes           []ChangeView         `json:"changes" doc:"变更登记申请"`
	SignedForms       []SignedForm         `json:"signed_forms" doc:"签字盖章后上传的登记变更表、移出情况表扫描件，及签字人、日期和是否盖章"`
	Reports           []ReportOnBrand      `json:"reports,omitempty" doc:"最近的举报（至多50件，按收到时间先后；仅工作人员可见）"` // officers only
	// ReportsTotal counts the brand's reports (officers only): the public
	// files them, so the view shows the latest viewReports.
	ReportsTotal int `json:"reports_total,omitempty" doc:"举报总数（仅工作人员可见）"`
	// History lists the latest viewHistory entries in time order;
	// HistoryTotal counts them all.
	History      []HistoryEntry `json:"history" doc:"最近的办理记录，按时间先后"`
	HistoryTotal int            `json:"history_total" doc:"办理记录总数"`
	UpdatedAt    time.Time      `json:"updated_at" doc:"最后更新时间"`
}

// RectificationView is an open rectification order (第十五条（一）（二）).
// Due is null at level 2 until the interview opens the three-month window.
type RectificationView struct {
	Level     int        `json:"level" min:"1" max:"3" doc:"整改级别（第十五条（一）–（三））"`
	Reason    string     `json:"reason" enum:"any_finding_reason" doc:"所认定问题的代码"`
	OrderedOn string     `json:"ordered_on" format:"date" doc:"责令整改日期"`
	Due       *string    `json:"due" format:"date" doc:"期限（含当日），按工作日历计算"`
	DueAt     *time.Time `json:"due_at" doc:"期限届满的时刻（北京时间次日零时）"`
}

// SuspensionView is a suspension of the logo right (第十五条（三）).
type SuspensionView struct {
	StartedOn string `json:"started_on" format:"date" doc:"开始日期"`
	Until     string `json:"until" format:"date" doc:"截止日期（含当日）"`
}

// OpenMatterView is one matter open on the brand (RULES §4 "open
// matters"): a rectification order, an interview, a proposal awaiting the
// city, an evaluation report or assessment, a change request.
type OpenMatterView struct {
	Kind     string    `json:"kind" enum:"matter_kind" doc:"事项类型"`
	ID       *string   `json:"id" doc:"可同时有多项时的编号（变更申请、评估报告、整改决定）；其他事项为 null"`
	OpenedOn string    `json:"opened_on" format:"date" doc:"事项开始日期"`
	Due      string    `json:"due" format:"date" doc:"期限的最后一日"`
	DueAt    time.Time `json:"due_at" doc:"期限届满的时刻（次日 00:00，+08:00）"`
	Overdue  bool      `json:"overdue" doc:"是否已逾期"`
	// Reasons are what a proposal to the city rests on: the officers
	// deciding, and a county adding a finding, need them beside the matter.
	Reasons []string `json:"reasons" doc:"提请市级决定所依据的理由，可有多项：提请暂停（suspension）为问题代码，或流程自动提请时的 level2_lapsed（约谈整改期满仍未整改到位）；提请移出（removal）为移出情形代码，或 suspended_three_times（被暂停三次以上）；其他事项为空列表"`
}

// PendingDecisionView is what must happen next, and by when.
type PendingDecisionView struct {
	Kind  string     `json:"kind" enum:"pending_decision" doc:"待作出的决定"`
	Due   *string    `json:"due" format:"date" doc:"期限（含当日），按工作日历计算"`
	DueAt *time.Time `json:"due_at" doc:"期限届满的时刻（北京时间次日零时）"`
}

// DeadlineView is one open deadline (API.md: due is the last day, due_at the
// instant it ends, 00:00 +08:00 of the next day).
type DeadlineView struct {
	Kind            string    `json:"kind" doc:"期限的类型"`
	Due             string    `json:"due" format:"date" doc:"期限（含当日），按工作日历计算"`
	DueAt           time.Time `json:"due_at" doc:"期限届满的时刻（北京时间次日零时）"`
	Provisional     bool      `json:"provisional" doc:"按暂定日历计算：该年节假日安排尚未公布，公布后可能调整"`
	CalendarVersion int       `json:"calendar_version" doc:"计算所用的日历版本"`
}

// FindingView is a finding as the brand view lists it.
type FindingView struct {
	ID          string    `json:"id" doc:"编号"`
	Reason      string    `json:"reason" enum:"any_finding_reason" doc:"问题代码；其级别见 level"`
	Level       int       `json:"level" min:"1" max:"3" doc:"整改级别（第十五条（一）–（三））"`
	Description string    `json:"description" doc:"问题描述"`
	ReportID    *string   `json:"report_id" doc:"由举报立案时，该举报的编号"`
	OrderedOn   string    `json:"ordered_on" format:"date" doc:"责令整改日期；并入时（见 joined）为认定之日"`
	At          time.Time `json:"at" doc:"认定时间"`
	Joined      *string   `json:"joined" enum:"finding_joined" doc:"认定问题时品牌已在整改或暂停中，或已因同一理由提请暂停：问题并入进行中的整改（rectification）、暂停处理（suspension）或待市级决定的暂停提请（suspension_proposal），未另行责令整改；另行责令的为 null"`
}

// ReportOnBrand is a report as an officer sees it on the brand: its
// handling, never the reporter.
type ReportOnBrand struct {
	ID         string     `json:"id" doc:"编号"`
	Status     string     `json:"status" enum:"report_status" doc:"处理状态"`
	ReceivedAt time.Time  `json:"received_at" doc:"收到时间"`
	FindingID  *string    `json:"finding_id" doc:"立案认定的问题编号"`
	TriagedAt  *time.Time `json:"triaged_at" doc:"处理时间"`
}

// GetBrandView reads the whole view of one brand. forHolder leaves out
// everything tied to reports (第十五条: the reporter is never shown to the
// holder).
func (s *Store) GetBrandView(ctx context.Context, id string, forHolder bool) (BrandView, error) {
	var v BrandView
	var rect, susp, pending, deadlines, matters []byte
	var missing bool
	b := &pgx.Batch{}
	b.Queue(`
		SELECT id, name, status, county_code, category, brand_type, unit_name, coalesce(application_id, ''),
		       to_char(admitted_on, 'YYYY-MM-DD'), rectification, suspension, suspension_count, pending_decision, deadlines,
		       to_char(next_evaluation_due, 'YYYY-MM-DD'), to_char(removed_on, 'YYYY-MM-DD'),
		       to_char(reapply_after, 'YYYY-MM-DD'), updated_at, open_matters
		FROM brands WHERE id = $1`, id).QueryRow(func(row pgx.Row) error {
		return foundOrMissing(&missing, row.Scan(&v.ID, &v.Name, &v.Status, &v.CountyCode, &v.Category, &v.BrandType,
			&v.UnitName, &v.ApplicationID, &v.AdmittedOn, &rect, &susp, &v.SuspensionCount, &pending, &deadlines,
			&v.NextEvaluationDue, &v.RemovedOn, &v.ReapplyAfter, &v.UpdatedAt, &matters))
	})
	queueRows(b, &v.Findings, pgx.RowToStructByPos[FindingView], brandFindingsSQL, id)
	queueRows(b, &v.Evaluations, pgx.RowToStructByPos[EvaluationView], brandEvaluationsSQL, id)
	queueRows(b, &v.SignedForms, pgx.RowToStructByPos[SignedForm], signedFormsSQL("brand"), id)
	queueRows(b, &v.Changes, pgx.RowToStructByPos[ChangeView], brandChangesSQL, id)
	if !forHolder {
		queueRows(b, &v.Reports, pgx.RowToStructByPos[ReportOnBrand], brandReportsSQL, id)
	}
	// A brand's history grows with every step for as long as it is in the
	// library; the view shows the latest entries, as the application's
	// does, and how many there are. One more than it shows is read, so that
	// only a brand with more pays for a count.
	queueRows(b, &v.History, pgx.RowToStructByPos[HistoryEntry], brandHistorySQL(forHolder), id)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return BrandView{}, err
	}
	if missing {
		return BrandView{}, ErrNotFound
	}
	slices.Reverse(v.History) // read newest first
	slices.Reverse(v.Reports)
	if v.ReportsTotal = len(v.Reports); len(v.Reports) > viewReports {
		v.Reports = v.Reports[1:]
		if err := s.pool.QueryRow(ctx, brandReportsTotalSQL, id).Scan(&v.ReportsTotal); err != nil {
			return BrandView{}, err
		}
	}
	v.HistoryTotal = len(v.History)
	if len(v.History) > viewHistory {
		// A round trip of its own, after the batch: a step written in
		// between is counted, not shown — as a step written after the read.
		v.History = v.History[1:]
		if err := s.pool.QueryRow(ctx, brandHistoryTotalSQL(forHolder), id).Scan(&v.HistoryTotal); err != nil {
			return BrandView{}, err
		}
	}
	v.Deadlines = deadlineViews(deadlines)
	v.Rectification = rectificationOf(rect, v.Deadlines)
	v.Suspension = suspensionOf(susp)
	v.PendingDecision = pendingOf(pending, v.Deadlines)
	v.OpenMatters = openMattersOf(matters)
	if forHolder {
		for i := range v.Findings {
			v.Findings[i].ReportID = nil
		}
		hideReportsInTriage(&v)
	}
	return v, nil
}

// The history's step for deadlines a calendar revision moved
// (workflows.recomputedNoteOf) names each one: "…：key → day；key → day".
const (
	deadlinesRecomputed = "deadlines.recomputed"
	recomputedListStart = "："
	recomputedListSep   = "；"
)

// hideReportsInTriage keeps from the holder that reports (举报) on its brand
// wait for triage — the matter and its deadline, a calendar revision's
// word of it, and the time of the steps it does not see; the history's
// steps that say so are left out by its query (brandHistoryWhere), so that
// the latest entries and their count are the holder's (RULES §6: reporters
// are protected).
func hideReportsInTriage(v *BrandView) {
	v.OpenMatters = slices.DeleteFunc(v.OpenMatters, func(m OpenMatterView) bool { return m.Kind == reportTriage })
	v.Deadlines = slices.DeleteFunc(v.Deadlines, func(d DeadlineView) bool { return d.Kind == reportTriage })
	for i, h := range v.History {
		if h.Action == deadlinesRecomputed {
			v.History[i].Note = withoutReportTriage(h.Note)
		}
	}
	// Every step moves the row's updated_at, those left out too: the
	// holder's is its newest step's.
	if n := len(v.History); n > 0 {
		v.UpdatedAt = v.History[n-1].At
	}
}

// withoutReportTriage leaves the triage's deadline out of the note of a
// calendar revision's step; a step that moved only that one is left out by
// the holder's query (brandHistoryWhere).
func withoutReportTriage(note string) string {
	head, list, ok := strings.Cut(note, recomputedListStart)
	if !ok {
		return note
	}
	parts := slices.DeleteFunc(strings.Split(list, recomputedListSep), func(p string) bool {
		return strings.HasPrefix(p, reportTriage)
	})
	return head + recomputedListStart + strings.Join(parts, recomputedListSep)
}

// The history's actions for reports waiting for triage and for a report
// dismissed (workflows/brand_reports.go; store does not import workflows).
// A report that opens a finding is the holder's to know by the finding;
// one dismissed is not: it tells that someone reported, and its note may
// say who.
const (
	reportsWaiting  = "reports.waiting"
	reportDismissed = "report.dismissed"
)

// reportTriage is the kind of the matter and deadline of the reports waiting
// for triage (workflows.MatterReportTriage; store does not import workflows).
const reportTriage = "report_triage"

// deadlineViews reads the deadlines column, instants in Asia/Shanghai.
func deadlineViews(raw []byte) []DeadlineView {
	var ds []calendar.Deadline
	json.Unmarshal(raw, &ds)
	out := make([]DeadlineView, 0, len(ds))
	for _, d := range ds {
		out = append(out, DeadlineView{Kind: d.Kind, Due: d.Due.String(), DueAt: d.Due.End(),
			Provisional: d.Provisional, CalendarVersion: d.CalendarVersion})
	}
	return out
}

func deadlineOf(ds []DeadlineView, kind string) *DeadlineView {
	for i := range ds {
		if ds[i].Kind == kind {
			return &ds[i]
		}
	}
	return nil
}

// rectificationOf reads the rectification column; its due date is the
// process's own. A null due is an order without one (a level-2 order
// waiting for its interview): a late-information order's deadline, of the
// same kind, is not its. Only a row written before the process kept the
// due date (no "due" at all) takes the open deadline of kind
// "rectification", the one such a row could have.
func rectificationOf(raw []byte, ds []DeadlineView) *RectificationView {
	var r struct {
		Level     int             `json:"level"`
		Reason    string          `json:"reason"`
		OrderedOn calendar.Date   `json:"ordered_on"`
		Due       json.RawMessage `json:"due"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &r) != nil || r.Level == 0 {
		return nil
	}
	v := &RectificationView{Level: r.Level, Reason: r.Reason, OrderedOn: r.OrderedOn.String()}
	var due calendar.Date
	switch {
	case r.Due == nil:
		if d := deadlineOf(ds, "rectification"); d != nil {
			day, at := d.Due, d.DueAt
			v.Due, v.DueAt = &day, &at
		}
	case json.Unmarshal(r.Due, &due) == nil && !due.IsZero():
		day, at := due.String(), due.End()
		v.Due, v.DueAt = &day, &at
	}
	return v
}

func suspensionOf(raw []byte) *SuspensionView {
	var v SuspensionView
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil || v.StartedOn == "" {
		return nil
	}
	return &v
}

// pendingOf reads the pending_decision column: {kind, due, …} as the process
// writes it; due_at is when its last day ends.
func pendingOf(raw []byte, ds []DeadlineView) *PendingDecisionView {
	var p struct {
		Kind string        `json:"kind"`
		Due  calendar.Date `json:"due"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &p) != nil || p.Kind == "" {
		return nil
	}
	v := &PendingDecisionView{Kind: p.Kind}
	if !p.Due.IsZero() {
		due, at := p.Due.String(), p.Due.End()
		v.Due, v.DueAt = &due, &at
	} else if d := deadlineOf(ds, p.Kind); d != nil {
		due, at := d.Due, d.DueAt
		v.Due, v.DueAt = &due, &at
	}
	return v
}

// openMattersOf reads the open_matters column as the process writes it
// (records.OpenMatter). A proposal to the city (a suspension's, a
// removal's) shows its reasons; another matter's reason is its order's,
// which the view shows with the order.
func openMattersOf(raw []byte) []OpenMatterView {
	var ms []records.OpenMatter
	out := []OpenMatterView{}
	if json.Unmarshal(raw, &ms) != nil {
		return out
	}
	for _, m := range ms {
		v := OpenMatterView{Kind: m.Kind, OpenedOn: m.OpenedOn.String(), Due: m.Due.String(), DueAt: m.DueAt, Overdue: m.Overdue,
			Reasons: []string{}}
		if (m.Kind == proposedSuspension || m.Kind == proposedRemoval) && m.Reason != "" {
			v.Reasons = strings.Split(m.Reason, ",")
		}
		if m.ID != "" {
			v.ID = &m.ID
		}
		out = append(out, v)
	}
	return out
}

// The matters that propose a decision to the city (workflows'
// PendingSuspension, PendingRemoval).
const (
	proposedSuspension = "suspension"
	proposedRemoval    = "removal"
)

const (
	brandFindingsSQL = `SELECT id, reason, level, description, report_id, to_char(ordered_on, 'YYYY-MM-DD'), at, joined
		FROM findings WHERE brand_id = $1 ORDER BY at, id`
	// The latest reports, newest first, one more than a view shows.
	brandReportsSQL = `SELECT id, status, received_at, finding_id, triaged_at FROM reports
		WHERE brand_id = $1 ORDER BY received_at DESC, id DESC LIMIT ` + viewReportsText
	brandReportsTotalSQL = `SELECT count(*) FROM reports WHERE brand_id = $1`
)

// viewReports bounds the reports a brand's view lists: anyone may file one
// (rate-limited), so over the years a brand may gather many; the reports'
// own list pages through them all.
const (
	viewReports     = 50
	viewReportsText = "51" // viewReports + 1, in the text as the history's limit is
)

// brandHistorySQL reads a brand's latest steps, newest first, one more than
// a view shows. The limit and the holder's filter are in the text: as
// parameters, views were read more slowly (docs/PERFORMANCE.md, 2026-12-02
// evening).
func brandHistorySQL(forHolder bool) string {
	return `SELECT at, actor, role, action, note FROM brand_events WHERE ` + brandHistoryWhere(forHolder) +
		` ORDER BY id DESC LIMIT ` + strconv.Itoa(viewHistory+1)
}

// brandHistoryTotalSQL counts what brandHistorySQL reads from.
func brandHistoryTotalSQL(forHolder bool) string {
	return `SELECT count(*) FROM brand_events WHERE ` + brandHistoryWhere(forHolder)
}

// brandHistoryWhere selects a brand's steps ($1); for a holder, without
// those that say reports wait for triage or that one was dismissed, nor a
// calendar revision's that moved no deadline but the triage's: its list
// names no deadline that does not begin with the triage's key.
func brandHistoryWhere(forHolder bool) string {
	if forHolder {
		return `brand_id = $1 AND action NOT IN ('` + reportsWaiting + `', '` + reportDismissed + `')` +
			` AND (action <> '` + deadlinesRecomputed + `' OR note ~ '[` + recomputedListStart + recomputedListSep +
			`](?!` + reportTriage + `)')`
	}
	return `brand_id = $1`
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// BrandSummary is one row of a brand list.
type BrandSummary struct {
	ID              string  `json:"id" doc:"编号"`
	Name            string  `json:"name" doc:"劳务品牌名称"`
	Status          string  `json:"status" enum:"brand_status" doc:"品牌状态"`
	CountyCode      string  `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Category        string  `json:"category" enum:"category" doc:"所属类别（第六条）"`
	BrandType       string  `json:"brand_type" enum:"brand_type" doc:"品牌类型：regional 区域公用劳务品牌（第八条），enterprise 企业劳务品牌（第九条）"`
	UnitName        string  `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	AdmittedOn      string  `json:"admitted_on" format:"date" doc:"入库日期"`
	PendingDecision *string `json:"pending_decision" enum:"pending_decision" doc:"待作出的决定；没有时为 null"` // its kind
	// What the exports show beside the list's columns (issue 14).
	USCC               string  `json:"uscc" doc:"持有单位统一社会信用代码"`
	RectificationLevel *int    `json:"rectification_level" doc:"整改级别（1或2）；不在整改中时为 null"`
	RectificationDue   *string `json:"rectification_due" format:"date" doc:"整改期限的最后一天；没有时为 null"`
	SuspendedUntil     *string `json:"suspended_until" format:"date" doc:"暂停标识使用权的最后一天；未暂停时为 null"`
	NextEvaluationDue  *string `json:"next_evaluation_due" format:"date" doc:"下次综合评估（或待交发展情况报告的期限）"`
}

// BrandFilter narrows a brand list; empty fields do not filter.
type BrandFilter struct {
	Status, County, Category, USCC string
	// LooksAfter narrows to the brands a county bureau looks after: its
	// county's and its functional zones' (RULES §1). County stays exact
	// (the public catalogue's filter is where a brand is).
	LooksAfter string
	// Name finds brands whose name or holder unit contains it, ignoring
	// case (the catalogue's search); LIKE's wildcards in it are literal.
	Name string
	// ExcludeRemoved leaves out removed brands unless Status asks for them
	// (the public catalog: a removed brand has left the library).
	ExcludeRemoved bool
	Page
}

// ListBrands lists brands, most recently admitted first, a page at a time,
// and the cursor of the next page.
func (s *Store) ListBrands(ctx context.Context, f BrandFilter) ([]BrandSummary, string, error) {
	k, err := f.keyset()
	if err != nil {
		return nil, "", err
	}
	// A name is also found by its key (namekey), folded as the stored
	// names are: width, case, spaces and look-alikes aside, on both sides.
	args := []any{f.Status, f.County, f.Category, f.USCC, f.ExcludeRemoved, k.fetch(), containing(f.Name), containing(namekey.Key(f.Name)),
		f.LooksAfter}
	where := `($1 = '' OR status = $1) AND ($2 = '' OR county_code = $2) AND ($3 = '' OR category = $3)
		AND ($4 = '' OR uscc = $4) AND ($1 <> '' OR NOT $5 OR status <> 'removed')
		AND ($7 = '%%' OR name ILIKE $7 OR unit_name ILIKE $7 OR ($8 <> '%%' AND name_key LIKE $8))
		AND ($9 = '' OR county_code = $9 OR county_code IN (SELECT county_code FROM review_units WHERE reviewer_code = $9))`
	if k.after != nil {
		where += ` AND (admitted_on, id) < ($10::date, $11)`
		args = append(args, k.after.at.Format(time.DateOnly), k.after.id)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT id, name, status, county_code, category, brand_type, unit_name, to_char(admitted_on, 'YYYY-MM-DD'),
		       pending_decision->>'kind', uscc, (rectification->>'level')::int, rectification->>'due',
		       suspension->>'until', to_char(next_evaluation_due, 'YYYY-MM-DD')
		FROM brands WHERE `+where+` ORDER BY admitted_on DESC, id DESC LIMIT $6`, args...)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[BrandSummary])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, items, func(b BrandSummary) position {
		day, _ := time.Parse(time.DateOnly, b.AdmittedOn)
		return position{day, b.ID}
	})
	return items, next, nil
}

// containing is the ILIKE pattern of text anywhere, its own %, _ and \
// taken literally.
func containing(text string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(text) + "%"
}
