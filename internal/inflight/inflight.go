// Package inflight brings over the applications a city was handling when it
// moved its library onto the system (RULES §3 Decision — applications in
// flight). Each is checked and stored as a submission is, with the
// objections to its notice not yet ruled, and its process starts at the
// stage it stands at (workflows.ApplicationInput.BroughtOver), counting that
// stage's deadlines from the day it began. What the brand import
// (brandimport) is for brands admitted before the system, this is for
// applications not yet decided.
package inflight

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Application is an application in flight on the day it is brought over.
type Application struct {
	RoundID     string           // the round it was submitted in
	Form        form.Application // the 推荐表 as the holder submitted it (or last resubmitted it)
	SubmittedOn calendar.Date
	// Stage and Since: where it stands and the day that stage began
	// (workflows.BroughtOver).
	Stage string
	Since calendar.Date
	// Objections are the objections to its notice received and not yet
	// ruled (public_notice only).
	Objections []Objection
}

// Objection is an objection received on paper before the switch-over:
// its objector's identity stays in PostgreSQL, as any objection's does.
type Objection struct {
	Name, Contact, Content, Evidence string
	PostmarkedOn, ReceivedOn         calendar.Date
}

// ID is the application's id: the same holder and brand name give the same
// id, so an application brought over twice is stored once.
func (a Application) ID() string {
	sum := sha256.Sum256([]byte("in-flight\x00" + a.Form.USCC + "\x00" + namekey.Key(a.Form.BrandName)))
	return "A" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:12]
}

// Problems are why an application cannot be brought over, by field, in
// Chinese.
type Problems []workflows.RejectedField

func (p Problems) Error() string {
	var b strings.Builder
	for i, f := range p {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(f.Field + "：" + f.Message)
	}
	return "在办申请不能转入：" + b.String()
}

// Bringer stores applications in flight and starts their processes.
type Bringer struct {
	Store     *store.Store
	Calendars *store.Calendars
	Temporal  client.Client
	TaskQueue string
	Clock     clock.Clock
	Admission workflows.AdmissionPolicy
	Brand     *workflows.BrandPolicy // nil: the brand's default policy
	By        auth.Principal         // the city officer who brings them over
}

// Start brings a over and reports whether it did: false when it was
// brought over before (a demo restarted). An application that cannot be
// brought over is refused with Problems, or with the submission's own
// refusals (a name or holder already open or in the library, a ban).
func (b *Bringer) Start(ctx context.Context, a Application) (bool, error) {
	now := b.Clock.Now()
	today := calendar.DateOf(now)
	form.Normalize(&a.Form)
	a.Form.RoundID = a.RoundID
	id := a.ID()
	// Brought over before: its own process has moved it on since (an
	// admitted one's brand is in the library now), so it is not checked again.
	if _, err := b.Store.GetApplicationRef(ctx, id); err == nil {
		return false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	problems, err := b.check(ctx, a, today)
	if err != nil {
		return false, err
	}
	if len(problems) > 0 {
		return false, problems
	}
	in := workflows.ApplicationInput{ApplicationID: id, RoundID: a.RoundID, BrandName: a.Form.BrandName,
		BrandType: a.Form.BrandType, Category: a.Form.Category, CountyCode: a.Form.CountyCode, UnitName: a.Form.UnitName,
		USCC: a.Form.USCC, SubmittedOn: a.SubmittedOn, Clock: b.Clock, Policy: b.Admission, BrandPolicy: b.Brand,
		BroughtOver: &workflows.BroughtOver{Stage: a.Stage, Since: a.Since}}
	rec := store.NewApplication{ID: id, RoundID: a.RoundID, BrandName: a.Form.BrandName, BrandType: a.Form.BrandType,
		Category: a.Form.Category, CountyCode: a.Form.CountyCode, UnitName: a.Form.UnitName, USCC: a.Form.USCC, Form: a.Form,
		Eligibility: form.Eligibility(a.Form), NameWarnings: form.NameWarnings(a.Form.BrandName), OnBehalf: true,
		USCCOverrideReason: a.Form.USCCOverrideReason, SubmittedAt: a.SubmittedOn.Start().Add(9 * time.Hour),
		SubmittedBy: b.By.Sub, SubmittedRole: string(b.By.Role), BroughtOver: true, Stage: a.Stage}
	in.BroughtOver.Objections = objectionDays(a.Objections)
	for i, o := range a.Objections {
		rec.Objections = append(rec.Objections, store.ObjectionDraft{ID: fmt.Sprintf("O%s%02d", id[1:], i+1), Via: "mail",
			ReceivedOn: o.ReceivedOn.String(), PostmarkedOn: o.PostmarkedOn.String(), Name: strings.TrimSpace(o.Name),
			Contact: strings.TrimSpace(o.Contact), Content: o.Content, Evidence: o.Evidence, CreatedAt: now})
	}
	err = store.ErrReviewerChanged
	for i := 0; i < 3 && errors.Is(err, store.ErrReviewerChanged); i++ { // a zone saved meanwhile: its bureau read again (RULES §1)
		if in.ReviewerCode, in.ReviewerRevision, err = b.Store.Reviewer(ctx, a.Form.CountyCode); err != nil {
			return false, err
		}
		rec.ProcessInput, rec.ReviewerRevision = in, in.ReviewerRevision
		err = b.Store.CreateApplication(ctx, rec)
	}
	switch {
	case errors.Is(err, store.ErrApplicationExists):
		return false, nil // brought over before; the starter starts its process if that start was lost
	case errors.Is(err, store.ErrOpenApplication):
		return false, Problems{{Field: "brand_name", Message: "该品牌名称或申报单位已有正在办理的申请"}}
	case errors.Is(err, store.ErrNameInLibrary):
		return false, Problems{{Field: "brand_name", Message: "项目库中已有同名劳务品牌"}}
	case errors.As(err, new(*store.HolderInLibraryError)):
		return false, Problems{{Field: "uscc", Message: "该申报单位的劳务品牌已在项目库中"}}
	case errors.Is(err, store.ErrHolderSelfRegistered): // RULES §6: the account would read what the bureau brings over
		return false, Problems{{Field: "uscc", Message: "该统一社会信用代码下已有自行注册的单位账号，须先由系统管理员核实"}}
	case errors.Is(err, store.ErrImportInProgress):
		return false, fmt.Errorf("市级工作专班正在导入已入库品牌，请待其完成后再转入: %w", err)
	case err != nil:
		return false, err
	}
	st := &starter.Starter{Temporal: b.Temporal, Store: b.Store, TaskQueue: b.TaskQueue}
	if _, err := st.Start(ctx, in); err != nil {
		return true, fmt.Errorf("stored; its process is left to the starter: %w", err)
	}
	return true, nil
}

// check checks a as a submission is checked (RULES §2, §3: the form, the
// ban, one brand per holder), and its stage, day and objections: each
// objection must have been filed within the notice, as the calendar counts
// it for the application's county.
func (b *Bringer) check(ctx context.Context, a Application, today calendar.Date) (Problems, error) {
	var out Problems
	counties := b.Store.CountyCheck(ctx)
	fields := form.Validate(a.Form, form.Options{Today: today.String(), OnBehalf: true, KnownCounty: counties.Known})
	if counties.Err != nil {
		return nil, counties.Err
	}
	for _, f := range fields {
		out = append(out, workflows.RejectedField{Field: f.Field, Message: f.Message})
	}
	if a.SubmittedOn.IsZero() || a.SubmittedOn.After(today) {
		out = append(out, workflows.RejectedField{Field: "submitted_on", Message: "必填，不能晚于转入当天"})
	}
	if r, err := b.Store.GetRound(ctx, a.RoundID); errors.Is(err, store.ErrNotFound) {
		out = append(out, workflows.RejectedField{Field: "round_id", Message: "没有这个申报批次"})
	} else if err != nil {
		return nil, err
	} else if d := a.SubmittedOn.String(); d < r.OpensOn || d > r.ClosesOn {
		out = append(out, workflows.RejectedField{Field: "submitted_on", Message: fmt.Sprintf("不在申报批次“%s”的申报时间（%s 至 %s）内", r.Name, r.OpensOn, r.ClosesOn)})
	}
	for i, o := range a.Objections {
		field := fmt.Sprintf("objections[%d]", i)
		if strings.TrimSpace(o.Name) == "" || strings.TrimSpace(o.Contact) == "" || strings.TrimSpace(o.Content) == "" || strings.TrimSpace(o.Evidence) == "" {
			out = append(out, workflows.RejectedField{Field: field, Message: "异议人、联系方式、异议内容和证据均须填写（第十三条）"})
		}
		if o.PostmarkedOn.Before(a.Since) || o.ReceivedOn.Before(o.PostmarkedOn) || o.ReceivedOn.After(today) {
			out = append(out, workflows.RejectedField{Field: field, Message: "提出日期不能早于公示发布，收到日期不能早于提出日期，也不能晚于转入当天"})
		}
	}
	// The process is given each day of receipt once (one ruling clock a
	// day, RULES §3); each objection's own dates were checked above.
	bo := workflows.BroughtOver{Stage: a.Stage, Since: a.Since, Objections: objectionDays(a.Objections)}
	for _, f := range bo.Check(a.SubmittedOn, today) {
		if !strings.HasPrefix(f.Field, "objections[") {
			out = append(out, f)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if a.Stage == workflows.StagePublicNotice && len(a.Objections) > 0 {
		cal, err := b.Calendars.Current(ctx)
		if err != nil {
			return nil, err
		}
		notice, err := deadline.Compute(cal, workflows.NoticeRule(b.Admission, workflows.CityCalendar, a.Since))
		if err != nil {
			return nil, err
		}
		for i, o := range a.Objections {
			if !workflows.ObjectionTimely(notice.Start, notice.Deadline.Due, o.PostmarkedOn) {
				out = append(out, workflows.RejectedField{Field: fmt.Sprintf("objections[%d]", i),
					Message: fmt.Sprintf("异议须在公示期内（%s 至 %s）提出", notice.Start, notice.Deadline.Due)})
			}
		}
	}
	ban, err := b.Store.FindBan(ctx, a.Form.BrandName, a.Form.USCC, today.String())
	if err != nil {
		return nil, err
	}
	if ban != nil { // 第十五条（四）
		out = append(out, workflows.RejectedField{Field: "brand_name", Message: fmt.Sprintf("该品牌或申报单位被移出项目库，%s 前不得再次申报", ban.Until)})
	}
	if id, err := b.Store.HolderBrandInLibrary(ctx, a.Form.USCC); err != nil {
		return nil, err
	} else if id != "" {
		out = append(out, workflows.RejectedField{Field: "uscc", Message: "该申报单位的劳务品牌已在项目库中"})
	}
	return out, nil
}

// objectionDays are the days objections were received on, each once, in
// the order first met, with the earliest filing of the day: two letters
// received on one day share one ruling clock (RULES §3), which is what the
// process is given to arm.
func objectionDays(objections []Objection) []workflows.BroughtOverObjection {
	var days []workflows.BroughtOverObjection
	for _, o := range objections {
		i := slices.IndexFunc(days, func(d workflows.BroughtOverObjection) bool { return d.ReceivedOn == o.ReceivedOn })
		switch {
		case i < 0:
			days = append(days, workflows.BroughtOverObjection{ReceivedOn: o.ReceivedOn, FiledOn: o.PostmarkedOn})
		case o.PostmarkedOn.Before(days[i].FiledOn):
			days[i].FiledOn = o.PostmarkedOn
		}
	}
	return days
}
