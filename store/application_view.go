package store

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// ApplicationRef is what access checks need to know about an application.
type ApplicationRef struct {
	ID         string
	Stage      string
	CountyCode string
	USCC       string
	// HolderUSCC is whose it is now: its brand's holder once admitted —
	// another code if an approved change (附件2) gave the brand a new one,
	// and the holder's accounts with it — else USCC.
	HolderUSCC string
	BrandName  string
	Drawn      []string // experts drawn for it
	// Eligibility is the checklist of the current form revision (form.Check).
	Eligibility json.RawMessage
	// ReviewerCode is the bureau that does its 初审 (RULES §1): the county,
	// or the bureau a functional zone is mapped to.
	ReviewerCode string
	// RunID is the run of its process that wrote its last step (as
	// BrandRef.RunID).
	RunID string
	// FormRevision is the revision of the form in force, whose checklist
	// Eligibility is (read together, from one row).
	FormRevision int
	// OnBehalf marks an application the city entered for its holder (代录):
	// the city may resubmit it and change its files, as its holder may.
	OnBehalf bool
	// USCCOverridden: the city let its USCC through the checksum, with a
	// reason on record (RULES §2).
	USCCOverridden bool
}

// GetApplicationRef reads an application's access facts.
func (s *Store) GetApplicationRef(ctx context.Context, id string) (ApplicationRef, error) {
	var r ApplicationRef
	err := s.pool.QueryRow(ctx, `
		SELECT id, stage, county_code, uscc, brand_name,
		       coalesce((SELECT array_agg(d) FROM expert_draws, unnest(drawn) d WHERE application_id = a.id), '{}'),
		       eligibility,
		       coalesce((SELECT reviewer_code FROM review_units WHERE county_code = a.county_code), a.county_code),
		       coalesce(run_id, ''), form_revision, coalesce((SELECT uscc FROM brands WHERE application_id = a.id), a.uscc), on_behalf,
		       uscc_override_reason <> ''
		FROM applications a WHERE id = $1`, id).
		Scan(&r.ID, &r.Stage, &r.CountyCode, &r.USCC, &r.BrandName, &r.Drawn, &r.Eligibility, &r.ReviewerCode, &r.RunID, &r.FormRevision, &r.HolderUSCC,
			&r.OnBehalf, &r.USCCOverridden)
	return r, notFound(err)
}

// ApplicationView is an application as API.md shows it.
type ApplicationView struct {
	ID           string          `json:"id" doc:"编号"`
	Stage        string          `json:"stage" enum:"stage" doc:"申请所处阶段"`
	RoundID      string          `json:"round_id" doc:"申报批次编号"`
	BrandName    string          `json:"brand_name" doc:"劳务品牌名称"`
	BrandType    string          `json:"brand_type" enum:"brand_type" doc:"品牌类型：regional 区域公用劳务品牌（第八条），enterprise 企业劳务品牌（第九条）"`
	Category     string          `json:"category" enum:"category" doc:"所属类别（第六条）"`
	CountyCode   string          `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	UnitName     string          `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	Eligibility  json.RawMessage `json:"eligibility" doc:"当前推荐表对第八条或第九条各项条件的核对结果"`
	NameWarnings json.RawMessage `json:"name_warnings" doc:"与已有品牌名称相近的提示"`
	Experts      []ExpertOnApp   `json:"experts" doc:"抽取的专家及其意见"`
	NoticeStart  *string         `json:"notice_start" format:"date" doc:"公示开始日"`
	NoticeEnd    *string         `json:"notice_end" format:"date" doc:"公示截止日（含当日）"`
	// Objections lists at most viewObjections: the open ones first (oldest
	// first), then the latest ruled; ObjectionsTotal and ObjectionsOpen count
	// them all, so an application with thousands stays readable.
	Objections      []ObjectionOnApp `json:"objections" doc:"异议：未裁定的在前（最早的在前），然后是最近裁定的"`
	ObjectionsTotal int              `json:"objections_total" doc:"异议总数"`
	ObjectionsOpen  int              `json:"objections_open" doc:"未裁定的异议数"`
	Deadlines       json.RawMessage  `json:"deadlines" doc:"正在计时的期限"`
	BrandID         *string          `json:"brand_id" doc:"劳务品牌编号"`
	// History lists the latest viewHistory entries in time order;
	// HistoryTotal counts them all.
	History      []HistoryEntry `json:"history" doc:"最近的办理记录，按时间先后"`
	HistoryTotal int            `json:"history_total" doc:"办理记录总数"`
	Attachments  []Attachment   `json:"attachments" doc:"上传的材料"`
	SignedForms  []SignedForm   `json:"signed_forms" doc:"签字盖章后上传的推荐表扫描件，及签字人、日期和是否盖章"`
	SiteVisits   []SiteVisit    `json:"site_visits,omitempty" doc:"实地核查记录"`
	OnBehalf     bool           `json:"on_behalf" doc:"由市级代录"`
	// BySelfRegistered: submitted by the account the holder registered
	// itself, whose identity nobody checked (RULES §6): 初审 checks it
	// against the unit's registration certificate.
	BySelfRegistered bool           `json:"by_self_registered" doc:"由申报单位自行注册的账户提交：账户身份未经主管部门核验，初审时须核对营业执照（登记证书）"`
	FormRevision     int            `json:"form_revision" doc:"推荐表的版本号（退回补充后重新提交加一）"`
	Form             map[string]any `json:"form,omitempty" doc:"当前版本的推荐表（ApplicationForm 的字段）"`
	SubmittedAt      time.Time      `json:"submitted_at" doc:"提交时间"`
	UpdatedAt        time.Time      `json:"updated_at" doc:"最后更新时间"`
}

// ExpertOnApp is a drawn expert and its opinion, if filed.
type ExpertOnApp struct {
	ID      string         `json:"id" doc:"专家编号（申报单位看到的为空：专家身份不向其公开）"`
	Name    string         `json:"name" doc:"专家姓名（申报单位看到的为空）"`
	Opinion *ExpertOpinion `json:"opinion" doc:"专家意见；尚未提交为 null（申报单位在复审结束前看到的均为 null）"`
	DrawNo  int            `json:"draw_no" doc:"第几次抽取"`
}

// ExpertOpinion is one expert's opinion.
type ExpertOpinion struct {
	Score     int       `json:"score" min:"0" max:"100" doc:"评分，0–100"`
	Recommend bool      `json:"recommend" doc:"是否推荐入库"`
	Comment   string    `json:"comment" doc:"评审意见"`
	At        time.Time `json:"at" doc:"时间"`
}

// ObjectionOnApp is an objection as the application view shows it: what
// it holds and who made it only to those who rule on it (Matter).
type ObjectionOnApp struct {
	ID         string  `json:"id" doc:"编号"`
	ReceivedOn string  `json:"received_on" format:"date" doc:"收到日期"`
	RulingDue  *string `json:"ruling_due" format:"date" doc:"裁定期限（含当日）"`
	Ruling     *Ruling `json:"ruling" doc:"裁定；未裁定为 null"`
	// Accepting: received after its day's others were all ruled, and its
	// process not yet told (RULES §6): it cannot be ruled until it is.
	Accepting bool             `json:"accepting,omitempty" doc:"正在受理：流程尚未确认（通常数秒内自动完成），此前不能裁定"`
	Matter    *ObjectionMatter `json:"matter,omitempty" doc:"异议的内容、证据和异议人：仅市级工作专班和监督人员可见"`
}

// ObjectionMatter is what an objection says and who says it (第十三条: in
// writing, with evidence, under the objector's name): what the city rules
// on, never shown to the applicant.
type ObjectionMatter struct {
	Via          string `json:"via" enum:"objection_via" doc:"提出方式：public 网上提出，mail 邮寄（由市级录入）"`
	PostmarkedOn string `json:"postmarked_on,omitempty" format:"date" doc:"邮戳日期（邮寄的异议）"`
	Name         string `json:"name" doc:"异议人（单位或个人）名称"`
	Contact      string `json:"contact" doc:"异议人联系方式"`
	Content      string `json:"content" doc:"异议内容"`
	Evidence     string `json:"evidence" doc:"证据"`
}

// ViewOptions is how much of an application one reader sees.
type ViewOptions struct {
	Form           bool // the form (附件1)
	WithoutContact bool // the form without its contact person and phone, and no signed scans of it (experts)
	Objections     bool // each objection's matter (the city, the supervisor)
	// ExpertsAs is whose eyes the drawn experts are shown to: all of them
	// to the officers; to the applicant with no one named (a reviewer known
	// can be approached), their opinions only once the city's review is
	// over; to a drawn expert, its own entry only (opinions are independent).
	ExpertsAs ExpertsReader
	// Expert is the reading expert's id (ExpertsAs == ExpertsToAnExpert).
	Expert string
}

// ExpertsReader is who reads an application's expert review.
type ExpertsReader int

const (
	ExpertsToOfficers ExpertsReader = iota
	ExpertsToTheApplicant
	ExpertsToAnExpert
)

// Ruling is the city's ruling on an objection.
type Ruling struct {
	Upheld bool      `json:"upheld" doc:"异议是否成立"`
	Reason string    `json:"reason" doc:"裁定理由"`
	At     time.Time `json:"at" doc:"裁定时间"`
}

// HistoryEntry is one line of an application's history.
type HistoryEntry struct {
	At     time.Time `json:"at" doc:"时间"`
	Actor  string    `json:"actor" doc:"办理人（人员编号或 system）"`
	Role   string    `json:"role" enum:"actor_role" doc:"办理人的角色"`
	Action string    `json:"action" doc:"办理事项"`
	Note   string    `json:"note" doc:"说明"`
}

// SiteVisit is a recorded site visit.
type SiteVisit struct {
	ID        string `json:"id" doc:"编号"`
	VisitedOn string `json:"visited_on" format:"date" doc:"核查日期"`
	Findings  string `json:"findings" doc:"核查情况"`
}

// GetApplicationView reads the whole view of one application, as much as
// opts lets its reader see.
func (s *Store) GetApplicationView(ctx context.Context, id string, opts ViewOptions) (ApplicationView, error) {
	var v ApplicationView
	var form []byte
	var missing bool
	b := &pgx.Batch{}
	b.Queue(`
		SELECT id, stage, round_id, brand_name, brand_type, category, county_code, unit_name, eligibility, name_warnings,
		       to_char(notice_start, 'YYYY-MM-DD'), to_char(notice_end, 'YYYY-MM-DD'), deadlines, brand_id,
		       on_behalf, form_revision, form, submitted_at, updated_at,
		       EXISTS (SELECT 1 FROM holder_registrations r JOIN accounts ac ON ac.id = r.account_id
		               WHERE r.uscc = a.uscc AND lower(ac.username) = lower(a.submitted_by))
		FROM applications a WHERE id = $1`, id).QueryRow(func(row pgx.Row) error {
		return foundOrMissing(&missing, row.Scan(&v.ID, &v.Stage, &v.RoundID, &v.BrandName, &v.BrandType, &v.Category,
			&v.CountyCode, &v.UnitName, &v.Eligibility, &v.NameWarnings, &v.NoticeStart, &v.NoticeEnd, &v.Deadlines, &v.BrandID,
			&v.OnBehalf, &v.FormRevision, &form, &v.SubmittedAt, &v.UpdatedAt, &v.BySelfRegistered))
	})
	queueRows(b, &v.Experts, scanExpertOnApp, appExpertsSQL, id)
	// One more objection and history entry than the view shows are read,
	// so that only an application with more pays for the counts.
	queueRows(b, &v.Objections, scanObjectionOnApp, appObjectionsSQL, id)
	queueRows(b, &v.History, pgx.RowToStructByPos[HistoryEntry], appHistorySQL, id)
	queueRows(b, &v.Attachments, pgx.RowToStructByPos[Attachment], attachmentsSQL, id)
	queueRows(b, &v.SignedForms, pgx.RowToStructByPos[SignedForm], signedFormsSQL("application"), id)
	queueRows(b, &v.SiteVisits, pgx.RowToStructByPos[SiteVisit], appSiteVisitsSQL, id)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return v, err
	}
	if missing {
		return ApplicationView{}, ErrNotFound
	}
	slices.Reverse(v.History) // read newest first
	v.HistoryTotal = len(v.History)
	v.ObjectionsTotal = len(v.Objections)
	if !takesObjections(v.Stage) {
		for i := range v.Objections { // no process will accept it now
			v.Objections[i].Accepting = false
		}
	}
	for _, o := range v.Objections {
		if o.Ruling == nil { // open: a ruling sets the status and its time together
			v.ObjectionsOpen++
		}
	}
	if len(v.History) > viewHistory || len(v.Objections) > viewObjections {
		// A round trip of its own, after the batch: a row written in
		// between is counted, not shown — as one written after the read.
		v.History = v.History[max(0, len(v.History)-viewHistory):]
		v.Objections = v.Objections[:min(len(v.Objections), viewObjections)]
		if err := s.pool.QueryRow(ctx, appCountsSQL, id).Scan(&v.ObjectionsTotal, &v.ObjectionsOpen, &v.HistoryTotal); err != nil {
			return ApplicationView{}, err
		}
	}
	if !opts.Objections {
		for i := range v.Objections {
			v.Objections[i].Matter = nil
		}
	}
	v.Experts = expertsFor(v.Experts, v.Stage, opts)
	for i, h := range v.History {
		if h.Action != "expert.opinion" { // its actor is the expert, its note the score
			continue
		}
		switch {
		case opts.ExpertsAs == ExpertsToTheApplicant:
			v.History[i].Actor = ""
			if underReview(v.Stage) {
				v.History[i].Note = ""
			}
		case opts.ExpertsAs == ExpertsToAnExpert && h.Actor != opts.Expert:
			v.History[i].Actor, v.History[i].Note = "", ""
		}
	}
	if opts.Form {
		json.Unmarshal(form, &v.Form)
		if opts.WithoutContact {
			delete(v.Form, "contact_name")
			delete(v.Form, "contact_phone")
		}
	}
	if opts.WithoutContact {
		// The signed 附件1 carries the contact row as printed: not theirs.
		v.SignedForms = v.SignedForms[:0]
	}
	return v, nil
}

// expertsFor is the drawn experts as opts's reader may see them (第十二条's
// review by experts drawn at random: whom the draw chose is the city's).
func expertsFor(experts []ExpertOnApp, stage string, opts ViewOptions) []ExpertOnApp {
	switch opts.ExpertsAs {
	case ExpertsToTheApplicant:
		out := make([]ExpertOnApp, len(experts))
		for i, e := range experts {
			out[i] = ExpertOnApp{DrawNo: e.DrawNo}
			if !underReview(stage) {
				out[i].Opinion = e.Opinion
			}
		}
		return out
	case ExpertsToAnExpert:
		return slices.DeleteFunc(experts, func(e ExpertOnApp) bool { return e.ID != opts.Expert })
	}
	return experts
}

// underReview tells whether an application's review is still to be decided
// (初审, its return for supplement, 复审).
func underReview(stage string) bool {
	return stage == "county_review" || stage == "returned" || stage == "city_review"
}

const appExpertsSQL = `
	SELECT d.expert_id, coalesce(e.name, ''), d.draw_no, o.score, o.recommend, o.comment, o.at
	FROM (SELECT unnest(drawn) AS expert_id, draw_no, generate_subscripts(drawn, 1) AS pos FROM expert_draws WHERE application_id = $1) d
	LEFT JOIN experts e ON e.id = d.expert_id
	LEFT JOIN expert_opinions o ON o.application_id = $1 AND o.expert_id = d.expert_id
	ORDER BY d.draw_no, d.pos`

func scanExpertOnApp(r pgx.CollectableRow) (ExpertOnApp, error) {
	var e ExpertOnApp
	var score *int
	var rec *bool
	var comment *string
	var at *time.Time
	err := r.Scan(&e.ID, &e.Name, &e.DrawNo, &score, &rec, &comment, &at)
	if score != nil {
		e.Opinion = &ExpertOpinion{Score: *score, Recommend: *rec, Comment: *comment, At: *at}
	}
	return e, err
}

// How much of an application's objections and history one view shows;
// viewHistory is a brand's too.
const (
	viewObjections = 100
	viewHistory    = 200
)

// The view's lists read one more than they show, their limits in the text:
// as parameters, they cost a view read (docs/PERFORMANCE.md, the brand
// view's history, 2026-12-02 evening).
var (
	appObjectionsSQL = `
	SELECT id, to_char(received_on, 'YYYY-MM-DD'), to_char(ruling_due, 'YYYY-MM-DD'), status, ruling_reason, ruled_at, untold,
	       via, coalesce(to_char(postmarked_on, 'YYYY-MM-DD'), ''), name, contact, content, evidence
	FROM objections WHERE application_id = $1 AND status <> 'draft'
	ORDER BY status <> 'open', CASE WHEN status = 'open' THEN created_at END, ruled_at DESC, created_at
	LIMIT ` + strconv.Itoa(viewObjections+1)
	appHistorySQL = `SELECT at, actor, role, action, note FROM application_events WHERE application_id = $1
	ORDER BY id DESC LIMIT ` + strconv.Itoa(viewHistory+1)
)

// appCountsSQL counts what the view's lists read from, for an application
// with more than they show.
const appCountsSQL = `SELECT
	(SELECT count(*) FROM objections WHERE application_id = $1 AND status <> 'draft'),
	(SELECT count(*) FROM objections WHERE application_id = $1 AND status = 'open'),
	(SELECT count(*) FROM application_events WHERE application_id = $1)`

func scanObjectionOnApp(r pgx.CollectableRow) (ObjectionOnApp, error) {
	var o ObjectionOnApp
	var status, reason string
	var ruledAt *time.Time
	var m ObjectionMatter
	err := r.Scan(&o.ID, &o.ReceivedOn, &o.RulingDue, &status, &reason, &ruledAt, &o.Accepting,
		&m.Via, &m.PostmarkedOn, &m.Name, &m.Contact, &m.Content, &m.Evidence)
	o.Matter = &m // kept for the readers ViewOptions.Objections names
	if ruledAt != nil {
		o.Ruling = &Ruling{Upheld: status == "upheld", Reason: reason, At: *ruledAt}
	}
	return o, err
}

const appSiteVisitsSQL = `SELECT id, to_char(visited_on, 'YYYY-MM-DD'), findings FROM site_visits WHERE application_id = $1 ORDER BY at`

// ApplicationSummary is one row of an application list.
type ApplicationSummary struct {
	ID          string          `json:"id" doc:"编号"`
	Stage       string          `json:"stage" enum:"stage" doc:"申请所处阶段"`
	RoundID     string          `json:"round_id" doc:"申报批次编号"`
	BrandName   string          `json:"brand_name" doc:"劳务品牌名称"`
	BrandType   string          `json:"brand_type" enum:"brand_type" doc:"品牌类型：regional 区域公用劳务品牌（第八条），enterprise 企业劳务品牌（第九条）"`
	Category    string          `json:"category" enum:"category" doc:"所属类别（第六条）"`
	CountyCode  string          `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	UnitName    string          `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	Deadlines   json.RawMessage `json:"deadlines" doc:"正在计时的期限"`
	SubmittedAt time.Time       `json:"submitted_at" doc:"提交时间"`
}

// ApplicationFilter narrows a list; empty fields do not filter.
type ApplicationFilter struct {
	Stage, County, Round string
	// USCC narrows the list to one holder's applications: those it made,
	// and the one that admitted a brand it now holds under a new code.
	USCC string
	Page
}

// ListApplications lists applications, newest first, a page at a time, and
// the cursor of the next page.
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter) ([]ApplicationSummary, string, error) {
	k, err := f.keyset()
	if err != nil {
		return nil, "", err
	}
	args := []any{f.Stage, f.County, f.Round, k.fetch(), f.USCC}
	// A county filter finds the applications the county reviews, functional
	// zones mapped to it included (RULES §1).
	where := `($1 = '' OR stage = $1) AND ($2 = '' OR county_code = $2 OR county_code IN
		(SELECT county_code FROM review_units WHERE reviewer_code = $2)) AND ($3 = '' OR round_id = $3) AND ($5 = '' OR
		coalesce((SELECT b.uscc FROM brands b WHERE b.application_id = applications.id), uscc) = $5)`
	if k.after != nil {
		where += ` AND (submitted_at, id) < ($6, $7)`
		args = append(args, k.after.at, k.after.id)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT id, stage, round_id, brand_name, brand_type, category, county_code, unit_name, deadlines, submitted_at
		FROM applications WHERE `+where+` ORDER BY submitted_at DESC, id DESC LIMIT $4`, args...)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ApplicationSummary])
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(k, items, func(a ApplicationSummary) position { return position{a.SubmittedAt, a.ID} })
	return items, next, nil
}

// PublicNotice is an application in its public notice (第十三条), as the
// public sees it: no personal data.
type PublicNotice struct {
	ApplicationID string `json:"application_id" doc:"申请编号"`
	BrandName     string `json:"brand_name" doc:"劳务品牌名称"`
	UnitName      string `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	CountyCode    string `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Category      string `json:"category" enum:"category" doc:"所属类别（第六条）"`
	BrandType     string `json:"brand_type" enum:"brand_type" doc:"品牌类型：regional 区域公用劳务品牌（第八条），enterprise 企业劳务品牌（第九条）"`
	NoticeStart   string `json:"notice_start" format:"date" doc:"公示开始日"`
	NoticeEnd     string `json:"notice_end" format:"date" doc:"公示截止日（含当日）"`
}

// PublicNotices lists the applications in public notice.
func (s *Store) PublicNotices(ctx context.Context) ([]PublicNotice, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT id, brand_name, unit_name, county_code, category, brand_type,
		       to_char(notice_start, 'YYYY-MM-DD'), to_char(notice_end, 'YYYY-MM-DD')
		FROM applications WHERE stage = 'public_notice' AND notice_start IS NOT NULL ORDER BY notice_end, id`)
	return pgx.CollectRows(rows, pgx.RowToStructByPos[PublicNotice])
}
