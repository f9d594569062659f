package store

import (
	"fmt"
	"strings"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// DecisionKind is the kind of the message that tells a holder what was
// decided on its application or its brand: admitted, not admitted or
// withdrawn; ordered to rectify, rectified, suspended, restored, removed.
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
		body = fmt.Sprintf("“%s”的申报%s，不予入库。", brand, rejectedAt[before]) + opinion("意见", st.Note)
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
func brandDecision(st records.BrandStep, uscc, county, brand string) (Message, bool) {
	if st.Action == "admitted" {
		// The first step: the application's admission told the holder; an
		// imported brand's standing was decided before the system.
		return Message{}, false
	}
	var title, body, due string
	switch f := st.Finding; {
	case st.Announcement != nil:
		t, ok := announced[st.Announcement.Kind]
		if !ok {
			return Message{}, false
		}
		title = fmt.Sprintf(t, brand)
		body = fmt.Sprintf("“%s”：%s（%s决定，第十五条）。", brand, strings.TrimSuffix(st.Announcement.Summary, "。"), st.Announcement.DecidedOn)
	case f != nil && f.Joined == "" && f.Level == 1:
		title = fmt.Sprintf("【责令整改】%s：一级整改", brand)
		body = fmt.Sprintf("“%s”经核查存在问题，责令限期一个月整改（第十五条（一））。", brand) + opinion("问题", f.Description)
		if r := st.Standing.Rectification; r != nil && r.Due != nil {
			due = r.Due.String()
			title += "，请于" + due + "前完成"
			body += fmt.Sprintf("请于%s（当日24时止）前完成整改，并向县（市、区）人力资源社会保障部门报告整改情况。", due)
		}
	case f != nil && f.Joined == "" && f.Level == 2:
		title = fmt.Sprintf("【二级整改】%s：约谈并限期整改", brand)
		body = fmt.Sprintf("“%s”经核查存在问题，予以二级整改：县（市、区）人力资源社会保障部门将约谈，约谈后限期三个月整改（第十五条（二））。", brand) +
			opinion("问题", f.Description)
	case st.Action == "rectification.confirmed":
		title = fmt.Sprintf("【整改到位】%s", brand)
		body = fmt.Sprintf("“%s”：%s", brand, sentence(st.Note))
	case st.Action == "rectification.lapsed":
		title = fmt.Sprintf("【整改期满】%s：整改未到位", brand)
		body = fmt.Sprintf("“%s”：%s", brand, sentence(st.Note))
	default:
		return Message{}, false
	}
	return Message{DedupeKey: DecisionMessageKey(st.Key), Kind: DecisionKind, Audience: "applicant", County: county, USCC: uscc,
		ObjectType: "brand", ObjectID: st.BrandID, Title: title, Body: body, Due: due, CreatedAt: st.At}, true
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
