package console

import (
	"regexp"
	"strconv"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// decision is one decision a console form takes on an application: when
// the page offers it, which fields it posts, and the API request they make.
// The API authorises and validates; offered only keeps a form off a page
// where it could not succeed.
type decision struct {
	name    string // the form's URL segment (and the API's, but for a ruling)
	done    string // the notice after it applied
	fields  []string
	labels  map[string]string
	offered func(v *applicationView, p auth.Principal) bool
	// build makes the API body; a value that cannot be put in it (a score
	// that is no number) is a field error before the API is asked.
	build func(values map[string]string, v *applicationView) (any, map[string]string)
}

var decisions = []*decision{
	{name: "county-review", done: "初审决定已提交。", fields: []string{"decision", "opinion"},
		labels:  map[string]string{"decision": "初审结论", "opinion": "初审意见"},
		offered: atStage(auth.CountyOfficer, workflows.StageCountyReview),
		build:   reviewBody},
	{name: "expert-draw", done: "已抽取评审专家。", fields: []string{"count", drawnSeen},
		labels:  map[string]string{"count": "抽取人数"},
		offered: atStage(auth.CityOfficer, workflows.StageCityReview),
		build: func(vals map[string]string, _ *applicationView) (any, map[string]string) {
			body := map[string]any{}
			if vals["count"] != "" {
				n, err := strconv.Atoi(vals["count"])
				if err != nil {
					return nil, map[string]string{"count": "请填写整数人数"}
				}
				body["count"] = n
			}
			if n, err := strconv.Atoi(vals[drawnSeen]); err == nil && n >= 0 {
				body[drawnSeen] = n
			}
			return body, nil
		}},
	{name: "site-visits", done: "实地核查情况已记录。", fields: []string{"visited_on", "findings"},
		labels:  map[string]string{"visited_on": "核查日期", "findings": "核查情况"},
		offered: atStage(auth.CityOfficer, workflows.StageCityReview),
		build: func(vals map[string]string, _ *applicationView) (any, map[string]string) {
			return map[string]any{"visited_on": vals["visited_on"], "findings": vals["findings"]}, nil
		}},
	{name: "city-review", done: "复审决定已提交。", fields: []string{"decision", "opinion"},
		labels:  map[string]string{"decision": "复审结论", "opinion": "复审意见"},
		offered: atStage(auth.CityOfficer, workflows.StageCityReview),
		build:   reviewBody},
	{name: "expert-opinions", done: "评审意见已提交。", fields: []string{"score", "recommend", "comment"},
		labels: map[string]string{"score": "评分", "recommend": "是否推荐入库", "comment": "评审意见"},
		offered: func(v *applicationView, p auth.Principal) bool {
			if p.Role != auth.Expert || v.App.Stage != workflows.StageCityReview {
				return false
			}
			for _, e := range v.App.Experts {
				if e.ID == p.Sub && e.Opinion == nil {
					return true
				}
			}
			return false
		},
		build: func(vals map[string]string, _ *applicationView) (any, map[string]string) {
			body := map[string]any{"comment": vals["comment"]}
			if vals["score"] != "" {
				n, err := strconv.Atoi(vals["score"])
				if err != nil {
					return nil, map[string]string{"score": "评分须为 0–100 的整数"}
				}
				body["score"] = n
			}
			if b, ok := yesNo(vals["recommend"]); ok {
				body["recommend"] = b
			}
			return body, nil
		}},
	{name: "objections", done: "邮寄的异议已登记。", fields: []string{"name", "contact", "content", "evidence", "postmarked_on", "received_on"},
		labels: map[string]string{"name": "异议人姓名或单位名称", "contact": "联系方式", "content": "异议内容", "evidence": "证据",
			"postmarked_on": "邮戳日期", "received_on": "收到日期"},
		offered: func(v *applicationView, p auth.Principal) bool {
			return p.Role == auth.CityOfficer && workflows.TakesObjections(v.App.Stage)
		},
		build: func(vals map[string]string, _ *applicationView) (any, map[string]string) {
			body := map[string]any{}
			for k, val := range vals {
				body[k] = val
			}
			return body, nil
		}},
	// ruling is offered per open objection (loadApplication), not here.
	{name: "ruling", done: "异议裁定已提交。", fields: []string{"upheld", "reason"},
		labels:  map[string]string{"upheld": "异议是否成立", "reason": "裁定理由"},
		offered: func(*applicationView, auth.Principal) bool { return false },
		build: func(vals map[string]string, _ *applicationView) (any, map[string]string) {
			body := map[string]any{"reason": vals["reason"]}
			if b, ok := yesNo(vals["upheld"]); ok {
				body["upheld"] = b
			}
			return body, nil
		}},
}

func decisionNamed(name string) *decision {
	for _, d := range decisions {
		if d.name == name {
			return d
		}
	}
	return nil
}

func atStage(role auth.Role, stage string) func(*applicationView, auth.Principal) bool {
	return func(v *applicationView, p auth.Principal) bool { return p.Role == role && v.App.Stage == stage }
}

func yesNo(s string) (bool, bool) {
	switch s {
	case "yes":
		return true, true
	case "no":
		return false, true
	}
	return false, false
}

// relaxField is the form field of a relaxation's reason for a criterion.
func relaxField(criterion string) string { return "relax_" + criterion }

// fieldsOf are the fields a decision posts on this application: a review
// adds a reason field for each relaxable unmet criterion.
func (d *decision) fieldsOf(v *applicationView) []string {
	if d.name != "county-review" && d.name != "city-review" {
		return d.fields
	}
	out := append([]string(nil), d.fields...)
	for _, ch := range v.Relaxable {
		out = append(out, relaxField(ch.Criterion))
	}
	return append(out, reviewedRevision)
}

// drawnSeen is the field the draw's form carries the number of experts it
// showed drawn in: another officer's draw since is refused by the API (409),
// not made a second time unseen.
const drawnSeen = "drawn"

// reviewedRevision is the field a review's form carries the revision of
// the 推荐表 it showed in: a resubmission since is refused by the API
// (form_changed), not reviewed on a form the officer never saw.
const reviewedRevision = "form_revision"

// reviewBody is a 初审 or 复审: the decision, the opinion, and a relaxation
// for each relaxable criterion given a reason (第九条（五）).
func reviewBody(vals map[string]string, v *applicationView) (any, map[string]string) {
	if vals["decision"] == "" {
		return nil, map[string]string{"decision": "请选择审核结论"}
	}
	body := map[string]any{"decision": vals["decision"], "opinion": vals["opinion"]}
	var relax []workflows.Relaxation
	for _, ch := range v.Relaxable {
		if reason := vals[relaxField(ch.Criterion)]; reason != "" {
			relax = append(relax, workflows.Relaxation{Criterion: ch.Criterion, Reason: reason})
		}
	}
	if len(relax) > 0 {
		body["relaxations"] = relax
	}
	if rev, err := strconv.Atoi(vals[reviewedRevision]); err == nil && rev > 0 {
		body[reviewedRevision] = rev
	}
	return body, nil
}

func (d *decision) body(vals map[string]string, v *applicationView) (any, map[string]string) {
	return d.build(vals, v)
}

// summary is what the confirmation step shows: each field entered, by its
// label, with choices named.
func (d *decision) summary(vals map[string]string, v *applicationView) []summaryRow {
	var out []summaryRow
	for _, f := range d.fieldsOf(v) {
		if f == reviewedRevision || f == drawnSeen {
			continue // carried, not said
		}
		val := vals[f]
		switch {
		case f == "decision" && d.name == "city-review":
			val = choiceLabel(cityDecisions, val)
		case f == "decision":
			val = decisionLabel(val)
		case f == "recommend":
			val = map[string]string{"yes": "推荐", "no": "不推荐"}[val]
		case f == "upheld":
			val = map[string]string{"yes": "异议成立（申请不予入库）", "no": "异议不成立"}[val]
		}
		label := d.labels[f]
		if label == "" {
			for _, ch := range v.Relaxable {
				if relaxField(ch.Criterion) == f {
					label = "放宽理由：" + ch.Article
				}
			}
			if val == "" {
				continue
			}
		}
		if val == "" {
			val = "（未填写）"
		}
		out = append(out, summaryRow{label, val})
	}
	return out
}

func choiceLabel(choices []struct{ Value, Label string }, v string) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

var relaxationIndex = regexp.MustCompile(`^relaxations\[(\d+)\]`)

// fieldErrors puts the API's field errors beside the form's fields: the
// same names, but a relaxation's error goes to its criterion's reason.
func (d *decision) fieldErrors(api, vals map[string]string, v *applicationView) map[string]string {
	out := map[string]string{}
	var given []string // the criteria relaxed, in the body's order
	for _, ch := range v.Relaxable {
		if vals[relaxField(ch.Criterion)] != "" {
			given = append(given, ch.Criterion)
		}
	}
	for field, msg := range api {
		if m := relaxationIndex.FindStringSubmatch(field); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(given) {
				field = relaxField(given[i])
			}
		}
		out[field] = msg
	}
	return out
}
