package store

import (
	"fmt"
	"strings"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// DecisionKind is the kind of the message that tells a holder what was
// decided on its application or its brand: admitted, not admitted or
// withdrawn; ordered to rectify, rectified, suspended, restored, removed;
// a change registration approved or refused.
// It is written with the step, in its transaction, like a return's: no
// decision is on record without the holder's message.
const DecisionKind = "decision"

// DecisionMessageKey is the dedupe key of the holder's message a deciding
// step with key stepKey writes.
func DecisionMessageKey(stepKey string) string { return stepKey + "/decision/applicant" }

// rejectedAt names, by the stage an application left, what did not pass.
var rejectedAt = map[string]string{
	"county_review":    "未通过县（市、区）人力资源社会保障部门初审",
	"city_review":      "未通过市级人力资源社会保障部门复审",
	"public_notice":    "经公示异议复核，异议成立",
	"objection_review": "经公示异议复核，异议成立",
}

// applicationDecision is the holder's message of a step that closes its
// application (from stage before to st.Stage); false for any other step.
func applicationDecision(st records.Step, before, uscc, county, brand string) (Message, bool) {
	if before == st.Stage {
		return Message{}, false
	}
	var title, body string
	switch st.Stage {
	case "admitted":
		title = fmt.Sprintf("【入库】%s：已纳入昆明市市级劳务品牌项目库", brand)
		body = fmt.Sprintf("“%s”经推荐、初审、复审和公示，已于%s纳入昆明市市级劳务品牌项目库，获得劳务品牌标识使用权（第十四条）。",
			brand, calendar.DateOf(st.At))
	case "rejected":
		title = fmt.Sprintf("【未予入库】%s：申报未通过", brand)
		body = fmt.Sprintf("“%s”的申报%s，不予入库。", brand, rejectedAt[before])
		if before == "county_review" || before == "city_review" {
			body += opinion("意见", st.Note) // a ruling's note only repeats its verdict
		}
	case "withdrawn":
		title = fmt.Sprintf("【申请撤回】%s：申请已撤回", brand)
		body = fmt.Sprintf("“%s”的申请已撤回。", brand) + opinion("原因", st.Note)
	default:
		return Message{}, false
	}
	return Message{DedupeKey: DecisionMessageKey(st.Key), Kind: DecisionKind, Audience: "applicant", County: county, USCC: uscc,
		ObjectType: "application", ObjectID: st.ApplicationID, Title: title, Body: body, CreatedAt: st.At}, true
}

// announced are the titles of the decisions published on a brand
// (第十五条（五）), by the announcement's kind.
var announced = map[string]string{
	"suspension":  "【暂停标识使用权】%s",
	"renewal":     "【再次暂停标识使用权】%s",
	"restoration": "【恢复标识使用权】%s",
	"removal":     "【移出项目库】%s",
}

// brandDecision is the holder's message of a brand's step that decides on
// it: a published decision, a rectification ordered, an order found
// fulfilled or lapsed. It depends on the step alone, so the worker knows
// which steps wrote one (TellsHolder).
// interviewOpen reports whether the brand's standing has an interview to
// hold among its open matters (or, on a standing without them, as its
// pending decision).
func interviewOpen(s records.BrandStanding) bool {
	for _, m := range s.OpenMatters {
		if m.Kind == "interview" {
			return true
		}
	}
	return s.PendingDecision != nil && s.PendingDecision.Kind == "interview"
}

func brandDecision(st records.BrandStep, uscc, county, brand string) (Message, bool) {
	if st.Action == "admitted" {
		// The first step: the application's admission told the holder; an
		// imported brand's standing was decided before the system.
		return Message{}, false
	}
	var title, body, due string
	until := func(what string) { // the order's last day, from the step's own deadlines
		if due != "" {
			title += "，期限至" + due
			body += fmt.Sprintf("请于%s（当日24时止）前%s。", due, what)
		}
	}
	switch f := st.Finding; {
	case st.Announcement != nil:
		a := st.Announcement
		t, ok := announced[a.Kind]
		if !ok {
			return Message{}, false
		}
		when := fmt.Sprintf("%s决定", a.DecidedOn)
		if a.Kind == "restoration" { // by itself, when the suspension ends
			when = fmt.Sprintf("自%s起", a.DecidedOn)
		}
		title = fmt.Sprintf(t, brand)
		body = fmt.Sprintf("“%s”：%s（%s，第十五条）。", brand, strings.TrimSuffix(a.Summary, "。"), when)
	case f != nil && f.Joined == "" && f.Level == 1 && f.Reason == lateInformation:
		title = fmt.Sprintf("【责令整改】%s：补交发展情况报告", brand)
		body = fmt.Sprintf("“%s”未在评估期限内提交发展情况报告，按未按时提供相关信息责令限期一个月整改（第十五条（一））。", brand)
		due = deadlineDue(st, lateInformationKey+f.ID, rectificationKey)
		until("补交报告")
	case f != nil && f.Joined == "" && f.Level == 1:
		title = fmt.Sprintf("【责令整改】%s：一级整改", brand)
		body = fmt.Sprintf("“%s”经核查存在问题，责令限期一个月整改（第十五条（一））。", brand) + opinion("问题", f.Description)
		due = deadlineDue(st, rectificationKey)
		until("完成整改，并向县（市、区）人力资源社会保障部门报告整改情况")
	case f != nil && f.Joined == "" && f.Level == 2:
		title = fmt.Sprintf("【二级整改】%s：约谈并限期整改", brand)
		body = fmt.Sprintf("“%s”经核查存在问题，予以二级整改：县（市、区）人力资源社会保障部门将约谈，约谈后限期三个月整改（第十五条（二））。", brand) +
			opinion("问题", f.Description)
	case st.Action == "rectification.confirmed":
		title = fmt.Sprintf("【整改到位】%s", brand)
		body = fmt.Sprintf("“%s”：%s", brand, sentence(st.Note))
	case st.Action == "rectification.lapsed" && strings.Contains(st.Key, "/level2/") && interviewOpen(st.Standing):
		// Climbing to the interview is an order — told whatever else is due
		// sooner; a lapse that proposes a suspension is not told (the city's
		// decision on it is), nor one that joins the level 2 already running
		// (its interview was told).
		title = fmt.Sprintf("【整改期满】%s：转为约谈整改", brand)
		body = fmt.Sprintf("“%s”：%s", brand, sentence(st.Note))
	case st.Action == "interview.held":
		title = fmt.Sprintf("【约谈整改】%s：限期三个月整改", brand)
		body = fmt.Sprintf("“%s”：%s", brand, sentence(st.Note))
		due = deadlineDue(st, rectificationKey)
		until("完成整改")
	case st.Action == "suspension.declined" && deadlineDue(st, rectificationKey) != "":
		// The city declined to suspend a lapsed level-2 order: it goes on
		// with a new three-month window.
		title = fmt.Sprintf("【继续整改】%s：不予暂停，重新限期三个月整改", brand)
		body = fmt.Sprintf("“%s”：%s", brand, sentence(st.Note))
		due = deadlineDue(st, rectificationKey)
		until("完成整改")
	case st.Change != nil && st.Action == "change.approved":
		title = fmt.Sprintf("【变更登记】%s：变更已核准", brand)
		body = fmt.Sprintf("“%s”的变更登记（附件2，%s）经市级人力资源社会保障部门核准，已记入项目库。", brand, st.Change.ChangeID) +
			opinion("意见", st.Change.Opinion)
	case st.Change != nil && st.Action == "change.refused":
		by := "县（市、区）"
		if st.Change.Step == "city" {
			by = "市级"
		}
		title = fmt.Sprintf("【变更登记】%s：变更未予核准", brand)
		body = fmt.Sprintf("“%s”的变更登记（附件2，%s）未获%s人力资源社会保障部门同意，登记内容不变。", brand, st.Change.ChangeID, by) +
			opinion("意见", st.Change.Opinion)
	default:
		return Message{}, false
	}
	return Message{DedupeKey: DecisionMessageKey(st.Key), Kind: DecisionKind, Audience: "applicant", County: county, USCC: uscc,
		ObjectType: "brand", ObjectID: st.BrandID, Title: title, Body: body, Due: due, CreatedAt: st.At}, true
}

// The brand process's keys a message reads: an order's deadline, a
// late-information order's beside another (+ its finding's id), and that
// order's reason.
const (
	rectificationKey   = "rectification"
	lateInformationKey = "rectification:"
	lateInformation    = "late_information"
)

// deadlineDue is the last day of the first of the step's deadlines with one
// of kinds, "" when it has none.
func deadlineDue(st records.BrandStep, kinds ...string) string {
	for _, k := range kinds {
		for _, d := range st.Standing.Deadlines {
			if d.Kind == k {
				return d.Due.String()
			}
		}
	}
	return ""
}

// TellsHolder reports whether recording st writes its holder a decision
// message (under DecisionMessageKey(st.Key)).
func TellsHolder(st records.BrandStep) bool {
	_, ok := brandDecision(st, "", "", "")
	return ok
}

// opinion is an officer's words after their label, as a sentence; nothing
// when there are none.
func opinion(label, s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	return label + "：" + sentence(s)
}

// sentence ends s with a full stop unless it ends a sentence already.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, "。") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "？") {
		return s
	}
	return s + "。"
}
