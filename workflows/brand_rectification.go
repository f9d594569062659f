package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// 第十五条（一）–（三）: a finding with a reason of level 1, 2 or 3.
func (w *brandWorkflow) validateFinding(ctx workflow.Context, r FindingRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer, auth.CityOfficer); skip || err != nil {
		return err
	}
	if err := officerFindingReason(r.Reason); err != nil {
		return err
	}
	return w.findingAllowed(ctx, r.Reason)
}

func (w *brandWorkflow) findingAllowed(ctx workflow.Context, reason string) error {
	level := FindingLevel(reason)
	if level == 0 {
		return invalid("问题类型无效", RejectedField{Field: "reason", Message: "不是有效的问题类型代码"})
	}
	if w.st.Status == BrandStatusRemoved {
		return w.statusConflict("登记问题")
	}
	suspensionProposed, removalProposed := w.open(keySuspensionDecision), w.open(keyRemovalDecision)
	level1Running := (w.st.Rectification != nil && w.st.Rectification.Level == 1) || len(w.st.LateInformation) > 0
	// RULES §4 open matters: a removal waiting is a matter of its own kind —
	// a finding opens beside it — a level-2 finding opens beside a
	// suspension proposal too, and a second suspension proposal is the same
	// matter as the first (its reason joins it). Asked only where the old
	// rule differs.
	besideRemoval := func() bool { return ruleChanged(ctx, changeFindingsBesideRemoval) }
	switch {
	case reason == measuresInadequate && (w.st.Rectification == nil || w.st.Rectification.Level != 2):
		return w.statusConflict("以整改措施不力提请暂停（仅适用于约谈整改期间）")
	case reason == measuresInadequate && w.open(keyInterview) && ruleChanged(ctx, changeMeasuresAfterInterview):
		return w.statusConflict("以整改措施不力提请暂停（约谈尚未记录，三个月整改期尚未开始）")
	case reason == rectificationInadequate && !level1Running && besideRemoval():
		return w.statusConflict("以一级整改不到位下达二级整改（仅适用于一级整改期间）")
	case level == 1 && (w.st.Rectification != nil || w.st.Status == BrandStatusSuspended):
		return w.statusConflict("再下达一级整改（已在整改或暂停中）")
	case level == 2 && (w.st.Status == BrandStatusSuspended || (w.st.Rectification != nil && w.st.Rectification.Level == 2)):
		return w.statusConflict("再下达二级整改")
	case level == 3 && w.st.Status == BrandStatusSuspended && !suspensionProposed:
		return w.statusConflict("提请暂停（已在暂停中）")
	case level == 3 && suspensionProposed && w.proposedFor(keySuspensionDecision, reason):
		return w.statusConflict("重复提请暂停（已有待决定事项）")
	case level == 3 && (suspensionProposed || removalProposed) && !besideRemoval():
		return w.statusConflict("重复提请暂停（已有待决定事项）")
	case level == 2 && suspensionProposed && !ruleChanged(ctx, changeLevel2BesideSuspensionProposal):
		return w.statusConflict("下达二级整改（已提请市级决定）")
	case level == 2 && removalProposed && !besideRemoval():
		return w.statusConflict("下达二级整改（已提请市级决定）")
	}
	return nil
}

// proposedFor reports whether the proposal under key waits already for
// reason: the same finding again, not one that joins it.
func (w *brandWorkflow) proposedFor(key, reason string) bool {
	d := w.st.Deadlines.get(key)
	return d != nil && slices.Contains(strings.Split(d.Reason, ","), reason)
}

func (w *brandWorkflow) finding(ctx workflow.Context, r FindingRequest) (BrandResult, error) {
	step := w.actorStep(ctx, r.Actor, fmt.Sprintf("finding.level%d", FindingLevel(r.Reason)), r.Reason)
	err := w.openFinding(ctx, step, r.FindingID, r.Reason, r.Description, r.ReportID)
	return w.result(), err
}

// 第十五条（一）/（二）: the county confirms the rectification.
func (w *brandWorkflow) validateConfirm(ctx workflow.Context, r ConfirmRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if _, ok := w.confirmed(r.FindingID); !ok {
		if r.FindingID != "" {
			return w.statusConflict("确认整改（" + r.FindingID + " 不是进行中、可确认的整改）")
		}
		return w.statusConflict("确认整改（没有进行中的整改期）")
	}
	return nil
}

// confirmed is the order a confirmation of findingID closes: the brand's
// order when its window is open (and findingID, if given, is its finding),
// or the ordinary order of its own findingID names — named, so that a
// client that knows of one order only never closes another (an order for a
// missed report closes by the report, not by a confirmation); -1 for the
// brand's order.
func (w *brandWorkflow) confirmed(findingID string) (int, bool) {
	if r := w.st.Rectification; r != nil && r.WindowOpen && (findingID == "" || findingID == r.FindingID) {
		return -1, true
	}
	if findingID == "" {
		return -1, false
	}
	i := slices.IndexFunc(w.st.LateInformation, func(o Rectification) bool {
		return !w.missedReportOrder(o) && findingID == o.FindingID
	})
	return i, i >= 0
}

func (w *brandWorkflow) confirm(ctx workflow.Context, r ConfirmRequest) (BrandResult, error) {
	i, ok := w.confirmed(r.FindingID)
	if !ok { // only where a run validated it and did not check again (before recheck-decisions)
		return w.result(), w.statusConflict("确认整改（没有进行中的整改期）")
	}
	if i >= 0 { // an order of its own (changeLapseKeepsLevel1): the ladder goes on
		o := w.st.LateInformation[i]
		w.st.LateInformation = slices.Delete(w.st.LateInformation, i, i+1)
		w.st.Deadlines.remove(keyLateInformation + o.FindingID)
		w.settle()
		err := w.record(ctx, w.actorStep(ctx, r.Actor, "rectification.confirmed",
			fmt.Sprintf("%d级整改（%s）已到位。%s", o.Level, FindingReasonLabel(o.Reason), r.Note)))
		return w.result(), err
	}
	level := w.st.Rectification.Level
	w.st.Rectification = nil
	w.st.Deadlines.remove(keyRectification)
	// An ordinary order of its own is the brand's order again, to its own
	// day: one ladder, which later findings join or climb.
	next := ""
	if i := slices.IndexFunc(w.st.LateInformation, func(o Rectification) bool { return !w.missedReportOrder(o) }); i >= 0 {
		o := w.st.LateInformation[i]
		w.st.LateInformation = slices.Delete(w.st.LateInformation, i, i+1)
		if d := w.st.Deadlines.get(keyLateInformation + o.FindingID); d != nil {
			d.Key, d.Reason = keyRectification, ""
			next = fmt.Sprintf("另立的1级整改（%s）继续进行，至%s。", FindingReasonLabel(o.Reason), d.Value().Due)
		}
		w.st.Rectification = &o
	}
	w.settle()
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "rectification.confirmed", fmt.Sprintf("%d级整改已到位。%s%s", level, next, r.Note)))
	return w.result(), err
}

// 第十五条（二）: the county records the interview; the 3-month window starts on its date.
func (w *brandWorkflow) validateInterview(ctx workflow.Context, r InterviewRequest) error {
	if skip, err := w.precheck(ctx, r.Actor, auth.CountyOfficer); skip || err != nil {
		return err
	}
	if !w.open(keyInterview) {
		return w.pendingConflict("约谈")
	}
	rect := w.st.Rectification
	first, early := rect.OrderedOn, r.HeldOn.Before(rect.OrderedOn)
	if rect.FromLapse {
		// The order runs from 24:00 of the month's last day: an interview on
		// that day was held while level 1 ran. Asked only for that day.
		first = first.AddDays(1)
		early = early || r.HeldOn == rect.OrderedOn && ruleChanged(ctx, changeInterviewAfterLapse)
	}
	if r.HeldOn.After(w.today(ctx)) || early {
		return invalid("约谈日期无效", RejectedField{Field: "held_on", Message: fmt.Sprintf("须在 %s 至今天之间", first)})
	}
	return nil
}

func (w *brandWorkflow) interview(ctx workflow.Context, r InterviewRequest) (BrandResult, error) {
	w.st.Deadlines.remove(keyInterview)
	w.st.Rectification.OrderedOn, w.st.Rectification.WindowOpen = r.HeldOn, true
	p := w.in.Policy
	if _, err := w.st.Deadlines.arm(ctx, w, keyRectification, "整改（三个月）", []string{string(auth.Applicant), string(auth.CountyOfficer)},
		w.rule(keyRectification, r.HeldOn, deadline.Months, p.Level2Months, rectificationAlerts(p))); err != nil {
		return w.result(), err
	}
	w.settle()
	err := w.record(ctx, w.actorStep(ctx, r.Actor, "interview.held", fmt.Sprintf("%s 约谈，限期三个月整改。%s", r.HeldOn, r.Note)))
	return w.result(), err
}

// escalationDay is the day a lapse escalates on — the day after the
// lapsed period's last, at whose 24:00 it ran out — from which the next
// deadline's working days count (民法典 第二百零一条: from the day after
// the event's; changeEscalationFromItsDay). Before, they counted from the
// period's last day: the interview and the city's decision were due a
// working day early.
// Not asked where the lapse joins a matter open under key, whose day
// stands (propose).
func (w *brandWorkflow) escalationDay(ctx workflow.Context, due calendar.Deadline, key string) calendar.Date {
	if w.st.Deadlines.get(key) != nil && w.matterSet {
		return due.Due // unused: propose joins the open matter
	}
	if workflow.GetVersion(ctx, changeEscalationFromItsDay, workflow.DefaultVersion, 1) == 1 {
		return calendar.DateOf(due.DueAt)
	}
	return due.Due
}

// rectificationLapsed climbs the ladder when a rectification window ends
// unconfirmed: level 1 → level 2 (the county must record an interview);
// level 2 → a level-3 proposal to the city.
func (w *brandWorkflow) rectificationLapsed(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	r := w.st.Rectification
	due := d.Value()
	if r == nil {
		return nil
	}
	if r.Level == 1 {
		// 第十五条（二）: level 1 not rectified within the month → interview + 3 months.
		w.st.Rectification = &Rectification{Level: 2, Reason: rectificationInadequate, FindingID: r.FindingID, OrderedOn: due.Due, FromLapse: true}
		if err := w.propose(ctx, PendingInterview, keyInterview, "约谈", string(auth.CountyOfficer), w.escalationDay(ctx, due, keyInterview), w.in.Policy.InterviewDays, ""); err != nil {
			return err
		}
		return w.record(ctx, w.autoStep(ctx, "level2/"+due.Due.String(), "rectification.lapsed",
			fmt.Sprintf("一个月整改期（至%s）届满未确认整改，升级为约谈整改（第十五条（二））", due.Due), due.DueAt))
	}
	// 第十五条（三）: level 2 not rectified within three months → suspension proposal.
	// RULES §4: the unremedied order stays open (level 2, its window closed)
	// while the city decides, so the brand stays rectifying; before this
	// change the order was dropped and the brand showed active.
	if getVersion(ctx, changeLevel2StaysOpen) == 1 {
		r.WindowOpen = false
	} else {
		w.st.Rectification = nil
	}
	if err := w.propose(ctx, PendingSuspension, keySuspensionDecision, "暂停标识使用权决定", string(auth.CityOfficer), w.escalationDay(ctx, due, keySuspensionDecision), w.in.Policy.DecisionDays, ReasonLevel2Lapsed); err != nil {
		return err
	}
	return w.record(ctx, w.autoStep(ctx, "level3/"+due.Due.String(), "rectification.lapsed",
		fmt.Sprintf("三个月整改期（至%s）届满未整改到位，提请市级作出暂停决定（第十五条（三））", due.Due), due.DueAt))
}

// propose opens an officer decision with its deadline (RULES §4 default
// officer deadlines), counted in working days from `from`, beside whatever
// else is open. A proposal of a kind already open adds its reason to it and
// keeps its deadline: the city decides both at once.
func (w *brandWorkflow) propose(ctx workflow.Context, kind, key, action, audience string, from calendar.Date, days int, reason string) error {
	if d := w.st.Deadlines.get(key); d != nil && w.matterSet {
		if reason != "" && !slices.Contains(strings.Split(d.Reason, ","), reason) {
			d.Reason = strings.Trim(d.Reason+","+reason, ",")
		}
		w.settle()
		return nil
	}
	d, err := w.st.Deadlines.arm(ctx, w, key, action, []string{audience},
		w.ruleFor(ctx, auth.Role(audience), key, from, deadline.Workdays, days, w.in.Policy.Alerts))
	if err != nil {
		return err
	}
	d.Reason = reason
	w.settle()
	return nil
}

// openFinding opens a rectification or proposal for a finding (第十五条
// （一）–（三）) and records it with step.
func (w *brandWorkflow) openFinding(ctx workflow.Context, step records.BrandStep, findingID, reason, description, reportID string) error {
	level := FindingLevel(reason)
	ordered := calendar.DateOf(step.At)
	step.Finding = &records.FindingRow{ID: findingID, Reason: reason, Level: level, Description: description, ReportID: reportID, OrderedOn: ordered}
	p := w.in.Policy
	switch level {
	case 1:
		w.st.Rectification = &Rectification{Level: 1, Reason: reason, FindingID: findingID, OrderedOn: ordered, WindowOpen: true}
		// 第十五条（一）: one month, a Civil Code month period to act.
		if _, err := w.st.Deadlines.arm(ctx, w, keyRectification, "整改（一个月）", []string{string(auth.Applicant), string(auth.CountyOfficer)},
			w.rule(keyRectification, ordered, deadline.Months, p.Level1Months, rectificationAlerts(p))); err != nil {
			return err
		}
	case 2:
		// The order for a missed evaluation report runs on as one of its
		// own: the information is still owed (as under a suspension) — unless
		// the finding is that very order's rectification found inadequate,
		// which climbs it as its lapse would.
		if r := w.st.Rectification; r != nil && w.forMissedReport(*r) && reason != rectificationInadequate &&
			workflow.GetVersion(ctx, changeLevel2KeepsLateInformation, workflow.DefaultVersion, 1) == 1 {
			if d := w.st.Deadlines.get(keyRectification); d != nil {
				d.Key, d.Action = keyLateInformation+r.FindingID, lateInformationAction
			}
			w.st.LateInformation = append(w.st.LateInformation, *r)
			w.st.Rectification = nil
			step.Note += "（进行中的“未按时提供相关信息”整改另立一项，补交报告即办结）"
		}
		if r := w.st.Rectification; r != nil { // RULES §4: a decision that replaces a matter says so
			step.Note += fmt.Sprintf("（本决定取代进行中的%d级整改）", r.Level)
		}
		// The order found inadequately rectified may be one running of its
		// own (a report missed beside a proposal): it climbs, as its lapse
		// would, rather than run on beside the level 2 it led to.
		if reason == rectificationInadequate && w.st.Rectification == nil && len(w.st.LateInformation) > 0 &&
			workflow.GetVersion(ctx, changeInadequateClimbsItsOrder, workflow.DefaultVersion, 1) == 1 {
			for _, o := range w.st.LateInformation {
				w.st.Deadlines.remove(keyLateInformation + o.FindingID)
				step.Note += fmt.Sprintf("（本决定取代进行中的“%s”整改）", FindingReasonLabel(o.Reason))
			}
			w.st.LateInformation = nil
		}
		w.st.Deadlines.remove(keyRectification)
		w.st.Rectification = &Rectification{Level: 2, Reason: reason, FindingID: findingID, OrderedOn: ordered}
		if err := w.propose(ctx, PendingInterview, keyInterview, "约谈", string(auth.CountyOfficer), ordered, p.InterviewDays, reason); err != nil {
			return err
		}
	case 3:
		if err := w.propose(ctx, PendingSuspension, keySuspensionDecision, "暂停标识使用权决定", string(auth.CityOfficer), ordered, p.DecisionDays, reason); err != nil {
			return err
		}
	}
	w.settle()
	return w.record(ctx, step)
}

// rectificationAlerts remind the holder and the county before a
// rectification window ends; its lapse climbs the ladder by itself (RULES
// §4), so nobody is escalated to.
func rectificationAlerts(p BrandPolicy) deadline.AlertPolicy {
	a := p.Alerts
	a.EscalateMax = 0
	return a
}

// orderLateInformation opens the level-1 order 未按时提供相关信息 for a
// missed evaluation report while the brand is already rectifying or
// suspended (RULES §4): an order of its own beside the running one, a
// month to provide the report.
func (w *brandWorkflow) orderLateInformation(ctx workflow.Context, due calendar.Deadline) error {
	id := "FD-" + w.in.BrandID + "-late-" + due.Due.String()
	p := w.in.Policy
	// Ordered when the report's last day is over, as an ordinary order is
	// (openFinding dates it by its step, at the lapse's instant).
	ordered := due.Due
	if workflow.GetVersion(ctx, changeLateInformationOrderedNextDay, workflow.DefaultVersion, 1) == 1 {
		ordered = calendar.DateOf(due.DueAt)
	}
	if _, err := w.st.Deadlines.arm(ctx, w, keyLateInformation+id, lateInformationAction, []string{string(auth.Applicant), string(auth.CountyOfficer)},
		w.rule(keyRectification, ordered, deadline.Months, p.Level1Months, rectificationAlerts(p))); err != nil {
		return err
	}
	w.st.LateInformation = append(w.st.LateInformation, Rectification{Level: 1, Reason: "late_information", FindingID: id, OrderedOn: ordered, WindowOpen: true})
	beside := "品牌已在整改或暂停中"
	if w.st.Rectification == nil && w.st.Suspension == nil {
		beside = "暂停决定待市级作出"
	}
	step := w.autoStep(ctx, "late-information/"+due.Due.String(), "finding.level1",
		"未按时提供相关信息（第十五条（一）），自动下达整改："+beside+"，另立一项，补交报告即办结", due.DueAt)
	step.Finding = &records.FindingRow{ID: id, Reason: "late_information", Level: 1, Description: "未在评估期限内提交发展情况报告", OrderedOn: ordered}
	return w.record(ctx, step)
}

// lateInformationAction names a late-information order's deadline.
const lateInformationAction = "补交发展情况报告（一个月）"

// forMissedReport reports whether r is the brand's ordinary order for a
// missed evaluation report (orderLateInformation's id) still owed: not an
// officer's finding of late_information, which no report remedies, nor an
// order whose report was filed since — that one closes by the county's
// confirmation, as any ordinary order does.
func (w *brandWorkflow) forMissedReport(r Rectification) bool {
	e := w.st.Evaluation
	return r.Level == 1 && r.Reason == "late_information" && MissedReportOrder(w.in.BrandID, r.FindingID) &&
		e != nil && e.ReportLate && e.ReportID == ""
}

// missedReportOrder reports whether o is an order for a missed evaluation
// report (orderLateInformation's id), which a report filed remedies.
func (w *brandWorkflow) missedReportOrder(o Rectification) bool {
	return MissedReportOrder(w.in.BrandID, o.FindingID)
}

// MissedReportOrder reports whether findingID is the order the process gave
// brandID for a missed evaluation report: a report filed closes it, not a
// county's confirmation (an order of its own the county confirms is any
// other).
func MissedReportOrder(brandID, findingID string) bool {
	return strings.HasPrefix(findingID, "FD-"+brandID+"-late-")
}

// closeLateInformation closes the late-information orders a report just
// filed remedies, and says so for the step's note; an ordinary order of
// its own runs on.
func (w *brandWorkflow) closeLateInformation() string {
	kept := slices.DeleteFunc(slices.Clone(w.st.LateInformation), w.missedReportOrder)
	if len(kept) == len(w.st.LateInformation) {
		return ""
	}
	for _, o := range w.st.LateInformation {
		if w.missedReportOrder(o) {
			w.st.Deadlines.remove(keyLateInformation + o.FindingID)
		}
	}
	w.st.LateInformation = kept
	if len(kept) == 0 {
		w.st.LateInformation = nil // as before: the state carried has no empty list
	}
	return "；补交报告，“未按时提供相关信息”整改办结"
}

// lateInformationLapsed: a late-information order's month ran out without
// the report. 第十五条（二）: an unremedied level-1 order climbs to level 2 —
// it becomes the brand's order at level 2 when nothing else runs, or only
// a level-1 order, which it then replaces; otherwise it joins the higher
// level already running, and the history says so.
func (w *brandWorkflow) lateInformationLapsed(ctx workflow.Context, d *Deadline) error {
	w.st.Deadlines.remove(d.Key)
	id := strings.TrimPrefix(d.Key, keyLateInformation)
	i := slices.IndexFunc(w.st.LateInformation, func(o Rectification) bool { return o.FindingID == id })
	if i < 0 {
		return nil
	}
	o := w.st.LateInformation[i]
	w.st.LateInformation = slices.Delete(w.st.LateInformation, i, i+1)
	due := d.Value()
	what, key := "补交报告的一个月整改期", "late-information-lapsed/"+due.Due.String()
	if !w.missedReportOrder(o) { // an ordinary order of its own (changeLapseKeepsLevel1)
		what, key = "一级整改（"+FindingReasonLabel(o.Reason)+"）的一个月整改期", "level1-lapsed/"+o.FindingID
	}
	replaced := ""
	// A level-1 order lapsing in the same pass climbs by itself (its own
	// lapse follows): this one joins it, as it did before.
	if r := w.st.Rectification; r != nil && r.Level == 1 && w.st.Suspension == nil && !w.st.Deadlines.expired(keyRectification) &&
		workflow.GetVersion(ctx, changeLateInformationOverLevel1, workflow.DefaultVersion, 1) == 1 {
		// Not a higher level to join: the lapse climbs past it.
		if workflow.GetVersion(ctx, changeLapseKeepsLevel1, workflow.DefaultVersion, 1) == 1 {
			// RULES §4: a lapse never overwrites another matter. The order
			// runs on as one of its own, to its own day, beside the level 2.
			if d := w.st.Deadlines.get(keyRectification); d != nil {
				d.Key, d.Reason = keyLateInformation+r.FindingID, r.Reason // the open matter names its order
				replaced = fmt.Sprintf("；进行中的1级整改（%s）另立一项，仍至%s", FindingReasonLabel(r.Reason), d.Value().Due)
			}
			w.st.LateInformation = append(w.st.LateInformation, *r)
		} else {
			replaced = fmt.Sprintf("，取代进行中的1级整改（%s）", FindingReasonLabel(r.Reason))
			w.st.Deadlines.remove(keyRectification)
		}
		w.st.Rectification = nil
	}
	if w.st.Rectification == nil && w.st.Suspension == nil {
		w.st.Rectification = &Rectification{Level: 2, Reason: rectificationInadequate, FindingID: o.FindingID, OrderedOn: due.Due, FromLapse: true}
		if err := w.propose(ctx, PendingInterview, keyInterview, "约谈", string(auth.CountyOfficer), w.escalationDay(ctx, due, keyInterview), w.in.Policy.InterviewDays, ""); err != nil {
			return err
		}
		return w.record(ctx, w.autoStep(ctx, "level2/"+due.Due.String(), "rectification.lapsed",
			fmt.Sprintf("%s（至%s）届满，升级为约谈整改（第十五条（二））%s", what, due.Due, replaced), due.DueAt))
	}
	return w.record(ctx, w.autoStep(ctx, key, "rectification.lapsed",
		fmt.Sprintf("%s（至%s）届满，并入正在进行的%s处理", what, due.Due, BrandStatusLabel(w.st.Status)), due.DueAt))
}
