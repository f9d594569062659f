package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// Applications in flight (RULES §3 Decision — applications in flight when
// the system starts): an application the bureau was handling when the city
// moved its library onto the system starts its process at the stage it was
// at, its deadlines counted from the day that stage began. From there it
// runs as any application: a notice whose working days have passed ends at
// once — admitted, or waiting in objection_review for a ruling — and a
// return whose wait has run out closes as withdrawn, each dated by the
// deadline that caused it.

// broughtOverStages are the stages an application can be brought over at:
// those that still wait for someone. An application already decided is not
// in flight (an admitted brand is imported as a brand).
var broughtOverStages = []string{StageCountyReview, StageReturned, StageCityReview, StagePublicNotice}

// Check lists what is wrong with b for an application submitted on
// submitted, brought over on today, in Chinese by field. The objections'
// filing days are checked against the notice by the process (and by the
// caller, who can compute the notice: NoticeRule).
func (b BroughtOver) Check(submitted, today calendar.Date) []RejectedField {
	var out []RejectedField
	if !slices.Contains(broughtOverStages, b.Stage) {
		out = append(out, RejectedField{Field: "stage", Message: "须为 county_review、returned、city_review 或 public_notice（已办结的申请不转入）"})
	}
	switch {
	case !b.Since.Valid() || b.Since.IsZero():
		out = append(out, RejectedField{Field: "since", Message: "必填：该阶段开始的日期"})
	case b.Since.After(today):
		out = append(out, RejectedField{Field: "since", Message: fmt.Sprintf("不能晚于转入当天（%s）", today)})
	case b.Since.Before(submitted):
		out = append(out, RejectedField{Field: "since", Message: fmt.Sprintf("不能早于提交日期（%s）", submitted)})
	}
	if len(b.Objections) > 0 && b.Stage != StagePublicNotice {
		out = append(out, RejectedField{Field: "objections", Message: "只有公示中的申请才有待裁定的异议"})
	}
	seen := map[calendar.Date]bool{}
	for i, o := range b.Objections {
		field := fmt.Sprintf("objections[%d]", i)
		switch {
		case o.FiledOn.Before(b.Since) || o.ReceivedOn.Before(o.FiledOn) || o.ReceivedOn.After(today):
			out = append(out, RejectedField{Field: field, Message: "提出日期不能早于公示发布，收到日期不能早于提出日期，也不能晚于转入当天"})
		case seen[o.ReceivedOn]:
			out = append(out, RejectedField{Field: field, Message: "同一天收到的异议只列一次"})
		}
		seen[o.ReceivedOn] = true
	}
	return out
}

// NoticeRule is the rule of a notice published on published (第十三条, RULES
// §3 counting the notice), counted on county's calendar — the city's
// (CityCalendar) since changeCalendarOfWhoActs.
func NoticeRule(p AdmissionPolicy, county string, published calendar.Date) deadline.Rule {
	period := deadline.Notice
	if !p.NoticeFromPublication {
		period = deadline.NoticeNextDay
	}
	return deadline.Rule{Kind: keyNotice, From: published, Period: period, N: p.NoticeDays, County: county}
}

// broughtOverInput is the input's BroughtOver when this run takes it: a
// process first run by a worker from before changeBroughtOver started as a
// new submission, and replays so.
func broughtOverInput(ctx workflow.Context, in ApplicationInput) *BroughtOver {
	if in.State != nil || in.BroughtOver == nil {
		return nil
	}
	if getVersion(ctx, changeBroughtOver) == workflow.DefaultVersion {
		return nil
	}
	return in.BroughtOver
}

// bringOver is a brought-over application's first step: the stage it was
// at, its deadlines from the day the stage began, the ruling clock of each
// day objections were received on, and a record saying so.
func (w *applicationWorkflow) bringOver(ctx workflow.Context) error {
	b := w.broughtOver
	if fields := b.Check(w.in.SubmittedOn, w.today(ctx)); len(fields) > 0 {
		return temporal.NewNonRetryableApplicationError("在办申请转入信息有误："+fields[0].Field+" "+fields[0].Message,
			RejectInvalid, nil, fields)
	}
	step := w.systemStep(ctx, "start", "brought_over", "")
	if err := w.arrive(ctx, b.Stage, b.Since); err != nil {
		return err
	}
	rec := records.BroughtOverRecord{}
	var notes []string
	for _, o := range b.Objections {
		if !ObjectionTimely(w.st.NoticeStart, w.st.NoticeEnd, o.FiledOn) {
			notes = append(notes, fmt.Sprintf("%s 收到的异议不在公示期（%s 至 %s）内提出，未受理", o.ReceivedOn, w.st.NoticeStart, w.st.NoticeEnd))
			continue
		}
		// 第十三条 + 民法典第二百零一条: 10 working days from the day after receipt.
		key := objectionDayKey(o.ReceivedOn)
		d, err := w.st.Deadlines.arm(ctx, w, key, "异议裁定", []string{string(auth.CityOfficer)},
			w.ruleFor(ctx, auth.CityOfficer, key, o.ReceivedOn, deadline.Workdays, w.in.Policy.ObjectionRulingDays, w.in.Policy.Alerts))
		if err != nil {
			return err
		}
		due := d.Value().Due
		w.st.ObjectionDays = append(w.st.ObjectionDays, ObjectionDay{ReceivedOn: o.ReceivedOn, RulingDue: due, Open: true})
		rec.ObjectionDays = append(rec.ObjectionDays, records.AcceptedObjectionDay{ReceivedOn: o.ReceivedOn, RulingDue: due})
		notes = append(notes, fmt.Sprintf("%s 收到的异议待裁定，裁定期限 %s", o.ReceivedOn, due))
	}
	step.Note = strings.Join(append([]string{broughtOverNote(b)}, notes...), "；")
	w.attachState(ctx, &step)
	rec.Step = step
	w.recordsInFlight++
	err := execute(ctx, recording, ActivityBringOver, rec).Get(ctx, nil)
	w.recordsInFlight--
	if err != nil {
		return err
	}
	w.changes++
	return w.upsertSearch(ctx)
}

// broughtOverNote says, for the history, where the application stood when
// it was brought over — what the bureau's earlier records hold, not a
// decision of this system.
func broughtOverNote(b *BroughtOver) string {
	prefix := "系统上线时在办，转入系统继续办理："
	switch b.Stage {
	case StageReturned:
		return prefix + b.Since.String() + " 退回补充材料，等待重新提交"
	case StageCityReview:
		return prefix + b.Since.String() + " 起市级复审（此前的初审在原系统办理）"
	case StagePublicNotice:
		return prefix + b.Since.String() + " 发布公示（此前的初审、复审在原系统办理）"
	}
	return prefix + b.Since.String() + " 起县级初审"
}
