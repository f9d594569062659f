package console

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The brand pages' template functions, added to the shared set.
func init() {
	funcs["brandStatus"] = workflows.BrandStatusLabel
	funcs["matter"] = workflows.MatterLabel
	funcs["findingReason"] = workflows.FindingReasonLabel
	funcs["levelName"] = levelName
	funcs["ladder"] = ladderLevel
	funcs["awaitsSuspension"] = lapsedAwaitingSuspension
	funcs["proposalReasons"] = proposalReasons
	funcs["outcome"] = func(o string) string {
		return map[string]string{"pass": "通过", "findings": "发现问题", "removal_proposed": "建议移出"}[o]
	}
	funcs["findingJoined"] = func(j string) string {
		return map[string]string{"rectification": "并入进行中的整改（不另行责令）", "suspension": "并入暂停处理（延续暂停时一并考虑）",
			"suspension_proposal": "并入待决定的暂停提请（理由相同，由市级一并决定）"}[j]
	}
	funcs["changeStatus"] = changeStatusLabel
	funcs["reportStatus"] = func(s string) string {
		return map[string]string{"open": "待处理", "received": "待处理", "dismissed": "不予立案", "finding": "已认定问题", "removal_report": "已报请移出", "closed": "已终止（品牌已移出）"}[s]
	}
	funcs["evaluationReport"] = evaluationReport
	funcs["nextEvaluation"] = nextEvaluation
	funcs["changeRows"] = changeRows
	funcs["formIn"] = func(f *actionForm, csrf, brandID string) any {
		return struct {
			Form          *actionForm
			CSRF, BrandID string
		}{f, csrf, brandID}
	}
}

// nextEvaluation says when the brand's next biennial evaluation asks
// something of its holder: the report's last day once its window is open,
// before that the day the window opens (the admission's anniversary), on
// which the report may not be filed yet.
func nextEvaluation(b store.BrandView) string {
	if b.NextEvaluationDue == nil {
		return ""
	}
	if slices.ContainsFunc(b.OpenMatters, func(m store.OpenMatterView) bool { return m.Kind == workflows.PendingEvaluationReport }) {
		return *b.NextEvaluationDue + "（含当日）前提交评估报告"
	}
	return *b.NextEvaluationDue + "起开展评估；评估报告此后在规定的工作日内提交，届时显示截止日期"
}

// ladderLevel is the brand's place on 第十五条's ladder.
func ladderLevel(b store.BrandView) string {
	switch {
	case b.Status == workflows.BrandStatusRemoved:
		return "已移出项目库（第十五条（四））"
	case b.Status == workflows.BrandStatusSuspended:
		return "三级：暂停标识使用权（第十五条（三））"
	case b.Rectification != nil && b.Rectification.Level >= 2:
		return "二级：约谈整改（第十五条（二））"
	case b.Rectification != nil:
		return "一级：限期整改（第十五条（一））"
	case slices.ContainsFunc(b.OpenMatters, func(m store.OpenMatterView) bool { return m.Kind == workflows.MatterRectification }):
		// An order of its own only (a missed report's): the brand is
		// rectifying all the same.
		return "一级：限期整改（第十五条（一））"
	}
	return "正常"
}

// lapsedAwaitingSuspension reports whether the brand's order ran out and
// the city is to decide its suspension (第十五条（二）: the interview's
// three months over). A proposal for other reasons — a level-3 finding —
// may wait beside an order whose interview is still to come.
func lapsedAwaitingSuspension(b store.BrandView) bool {
	return slices.ContainsFunc(b.OpenMatters, func(m store.OpenMatterView) bool {
		return m.Kind == workflows.PendingSuspension && slices.Contains(m.Reasons, workflows.ReasonLevel2Lapsed)
	})
}

// brandDocument passes one of the brand's printed forms (附件2, 附件3) from
// the API to the browser: the signed-in person's session is not an API
// credential, so the console fetches it as that person.
func (cs *Console) brandDocument(c *gin.Context) {
	path := "/api/v1/brands/" + url.PathEscape(c.Param("id")) + "/removal-report.pdf"
	if cid := c.Param("cid"); cid != "" {
		path = "/api/v1/brands/" + url.PathEscape(c.Param("id")) + "/changes/" + url.PathEscape(cid) + "/form.pdf"
	}
	rec, err := cs.fetchFile(c, path)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if rec.status != http.StatusOK {
		// Only a 404 says the document does not exist: a database that is
		// down must not tell an officer there is nothing to print.
		e := fileRefusal(rec.status, rec.header, rec.body.Bytes(), "该文书尚不存在：报请移出或提出变更后才可打印。")
		switch rec.status {
		case http.StatusForbidden:
			cs.errorPage(c, rec.status, "无法打开文书", "您无权查看该文书。")
		case http.StatusNotFound:
			cs.errorPage(c, rec.status, "无法打开文书", e.Message)
		default:
			cs.fail(c, e)
		}
		return
	}
	c.Header("Content-Type", rec.header.Get("Content-Type"))
	if d := rec.header.Get("Content-Disposition"); d != "" {
		c.Header("Content-Disposition", d)
	}
	// The forms name the brand's contact and telephone: kept by no cache,
	// the browser's included, past the sign-out (RULES §6).
	c.Header("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	_, _ = io.Copy(c.Writer, &rec.body)
}

// changeStatusLabel is a change request's status as the pages say it.
func changeStatusLabel(s string) string {
	return map[string]string{"county": "待县级审核", "city": "待市级审核", "approved": "已批准", "refused": "不予批准", "closed": "已终止（品牌已移出）"}[s]
}

// evaluationUnits are the units a development report's figures are in.
var evaluationUnits = map[string]string{"violations": "次", "major_complaints": "次", "major_accidents": "次",
	"direct_employees": "人", "driven_employment": "人", "labor_income_wan": "万元", "trainees_two_years": "人次"}

// evaluationReport is a development report (第十五条) as the city reads it
// to assess: each figure and the summary under the label the holder filled
// it in under.
func evaluationReport(raw json.RawMessage) []summaryRow {
	var report map[string]any
	if json.Unmarshal(raw, &report) != nil {
		return nil
	}
	var rows []summaryRow
	for _, f := range evaluationAction.Fields {
		v, ok := report[f.Name]
		if !ok || f.Name == "period" { // the period heads the report
			continue
		}
		value := fmt.Sprint(v)
		if n, isNumber := v.(float64); isNumber {
			value = strconv.FormatFloat(n, 'f', -1, 64) + " " + evaluationUnits[f.Name]
		}
		rows = append(rows, summaryRow{f.Label, value})
	}
	return rows
}

// changeRows are a change registration's new values (附件2) as the officers
// giving their opinions read them: every field the request changes — those
// the holder's form offers first, in its order, then any other field of the
// 推荐表 the API took (a client of its own may change them all) — so that
// nothing is approved unseen.
func changeRows(raw json.RawMessage) []summaryRow {
	var changes map[string]any
	if json.Unmarshal(raw, &changes) != nil {
		return nil
	}
	names := slices.Clone(changeFields)
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	var rows []summaryRow
	for _, name := range names {
		if v, ok := changes[name]; ok {
			rows = append(rows, summaryRow{"变更后的" + form.FieldLabel(name), changeValue(name, v)})
		}
	}
	return rows
}

// changeValue is a changed field's new value as a person reads it.
func changeValue(name string, v any) string {
	switch v := v.(type) {
	case nil:
		return "（清空）"
	case string:
		switch name {
		case "category":
			return cmp.Or(form.Category(v).Label(), v)
		case "brand_type":
			return cmp.Or(form.BrandType(v).Label(), v)
		}
		return v
	case bool:
		return map[bool]string{true: "是", false: "否"}[v]
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		var items []string
		for _, item := range v {
			items = append(items, changeValue("", item))
		}
		return strings.Join(items, "；")
	}
	b, _ := json.Marshal(v) // a record: the trademark is the 推荐表's only one
	if name == "trademark" {
		var t form.Trademark
		if json.Unmarshal(b, &t) == nil {
			return trademarkText(t)
		}
	}
	return string(b)
}

// proposalReasons names what a proposal to the city rests on: a suspension
// proposal's findings, a removal's situations (附件3); "" for a matter
// that names none.
func proposalReasons(m store.OpenMatterView) string {
	labels := make([]string, len(m.Reasons))
	for i, r := range m.Reasons {
		labels[i] = workflows.ProposalReasonLabel(m.Kind, r)
	}
	return strings.Join(labels, "；")
}
