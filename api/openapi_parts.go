package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kunming-hrss/laborbrand/store"
)

// The parts of the document that every operation shares: its tag, its
// parameters and its error answers.

// tagDocs describes each tag; an operation's tag is its path's first
// segment after /api/v1/ (segmentTags groups a few), "public" for the
// public pages and "system" outside /api/v1. A new segment needs a line
// here (TestOpenAPI_EveryTagIsDescribed).
var tagDocs = map[string]string{
	"applications": "申报与评审：申报批次、专家库、推荐表、初审、专家评审、实地核查、复审、公示异议（第十条–第十四条）。",
	"brands":       "入库品牌的动态管理：问题认定、整改、约谈、暂停、移出、两年一次的综合评估与变更登记（第十五条）。",
	"reports":      "举报的受理与县级处理。",
	"public":       "无需登录的公开信息与公众提交：公示、异议、举报、公告与品牌目录（限流）。",
	"calendar":     "业务时钟与工作日历（民法典第二百零一条；法定节假日与县级地方假日）。",
	"work":         "调用者的待办事项与站内消息。",
	"statistics":   "项目库统计：品牌、申报、评审通过率、异议、办理时限与各阶段用时，图表（SVG）与年度统计报告（PDF）。",
	"system":       "运行状态、指标与本文档。",
	"audit":        "审计日志（哈希链）及其完整性核验。",
	"review-units": "初审单位：14个县（市、区）与功能区，及负责各功能区的县级人社部门（第十一条）。",
}

var segmentTags = map[string]string{"rounds": "applications", "experts": "applications", "clock": "calendar",
	"tasks": "work", "inbox": "work", "holder": "applications", "applications.xlsx": "applications", "brands.xlsx": "brands", "tasks.xlsx": "work",
	"statistics.xlsx": "statistics", "changes": "brands"}

func pathTag(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return "system"
	}
	segment, _, _ := strings.Cut(rest, "/")
	segment = strings.TrimSuffix(segment, ".atom")
	if t, ok := segmentTags[segment]; ok {
		return t
	}
	return segment
}

func apiTags() openapi3.Tags {
	var tags openapi3.Tags
	for _, name := range []string{"applications", "brands", "reports", "public", "work", "statistics", "calendar", "review-units", "audit", "system"} {
		tags = append(tags, &openapi3.Tag{Name: name, Description: tagDocs[name]})
	}
	return tags
}

// pathParameters describes the path parameters by name.
var pathParameters = map[string]string{
	"id":    "记录编号（申请、品牌、举报或消息的编号，按路径而定）",
	"aid":   "附件编号",
	"oid":   "异议编号",
	"eid":   "综合评估报告编号",
	"cid":   "变更申请编号",
	"sid":   "签字件编号",
	"year":  "年份（2000–2200）",
	"code":  "县（市、区）行政区划代码",
	"day":   "日期 YYYY-MM-DD",
	"chart": "图表名加 .svg：brands-by-county.svg、brands-by-category.svg、ladder.svg、applications-by-stage.svg、pass-rates.svg、objections.svg、deadlines.svg、stage-days.svg",
}

func pathParameter(name string) *openapi3.Parameter {
	return openapi3.NewPathParameter(name).WithSchema(openapi3.NewStringSchema()).WithDescription(pathParameters[name])
}

// queryParameter describes ?name on path: its type, vocabulary and meaning.
// A name not described here is a plain string without a description, which
// TestOpenAPI_EveryOperationIsNamedAndDescribed refuses: describe it here.
func queryParameter(path, name string, schemas openapi3.Schemas) (*openapi3.Parameter, error) {
	p := openapi3.NewQueryParameter(name)
	str := openapi3.NewStringSchema()
	switch name {
	case "limit":
		if strings.HasSuffix(path, "/tasks") { // the work queue's pages hold up to 1000 (listTasks)
			return p.WithSchema(openapi3.NewIntegerSchema().WithMin(1).WithMax(1000)).WithDescription("每页条数，1–1000，缺省 200"), nil
		}
		return p.WithSchema(openapi3.NewIntegerSchema().WithMin(1).WithMax(store.MaxPageLimit)).
			WithDescription(fmt.Sprintf("每页条数，1–%d，缺省 50", store.MaxPageLimit)), nil
	case "cursor":
		return p.WithSchema(str).WithDescription("上一页答复中的 next；不给则从第一页开始"), nil
	case "county":
		return p.WithSchema(str).WithDescription("县（市、区）代码；未登记的代码为 422"), nil
	case "round":
		return p.WithSchema(str).WithDescription("申报批次编号"), nil
	case "temporal":
		return p.WithSchema(openapi3.NewStringSchema().WithEnum("optional")).
			WithDescription("optional：Temporal 仍检查并报告，但不可达时不判为未就绪（负载均衡的探针用：Temporal 中断时仍受理申报，恢复后再启动其流程）"), nil
	case "brand_id":
		return p.WithSchema(str).WithDescription("劳务品牌编号"), nil
	case "stage":
		if strings.Contains(path, "/tasks") {
			return withRef(p, vocabularyRef("task_stage", schemas)).WithDescription("待办事项所涉申请的阶段，或所涉品牌的状态；不在其中的值为 422"), nil
		}
		return withRef(p, vocabularyRef("stage", schemas)).WithDescription("申请所处阶段"), nil
	case "category":
		return withRef(p, vocabularyRef("category", schemas)).WithDescription("所属类别"), nil
	case "name":
		return p.WithSchema(openapi3.NewStringSchema().WithMaxLength(50)).
			WithDescription("按品牌名称或持有单位名称查找：包含即可，不分大小写，全角字母数字按半角；至多 50 个字，超过为 422"), nil
	case "status":
		if strings.Contains(path, "/reports") {
			return withRef(p, vocabularyRef("report_status", schemas)).WithDescription("举报的处理状态"), nil
		}
		if strings.HasSuffix(path, "/changes") {
			return withRef(p, vocabularyRef("change_status", schemas)).WithDescription("变更申请的进度"), nil
		}
		return withRef(p, vocabularyRef("brand_status", schemas)).WithDescription("品牌状态"), nil
	case "kind":
		if strings.Contains(path, "/announcements") {
			return withRef(p, vocabularyRef("announcement_kind", schemas)).WithDescription("公告的决定类型"), nil
		}
		if strings.HasSuffix(path, "/explain") {
			return p.WithSchema(str).WithDescription("期限的类型（如 county_review），仅作标注"), nil
		}
		return p.WithSchema(str).WithDescription("待办事项的类型；带键的类型（如 objection_ruling、change）也选出其各条（objection_ruling:<编号>）"), nil
	case "year":
		return p.WithSchema(openapi3.NewIntegerSchema().WithMin(2000)).WithDescription("统计年份：申报、决定、异议、期限与用时只计该年；品牌数为当前状态"), nil
	case "overdue":
		return p.WithSchema(openapi3.NewBoolSchema()).WithDescription("true 只列已逾期的；监督人员缺省只看逾期"), nil
	case "actor":
		return p.WithSchema(str).WithDescription("办理人（人员编号或 system）"), nil
	case "action":
		return p.WithSchema(str).WithDescription("事项的前缀，如 account. 列出所有账号变更"), nil
	case "object_type":
		return p.WithSchema(str).WithDescription("对象类型，如 application、brand、account、calendar_year"), nil
	case "object_id":
		return p.WithSchema(str).WithDescription("对象编号"), nil
	case "unread":
		return p.WithSchema(openapi3.NewBoolSchema()).WithDescription("true 只列未读消息"), nil
	case "sheet":
		return p.WithRequired(true).WithSchema(openapi3.NewStringSchema().WithPattern("^[0-9a-f]{64}$")).
			WithDescription("导入表文件的 SHA-256（64位小写十六进制），即 POST /api/v1/brands/import 上传的 file 的摘要"), nil
	case "dry_run":
		return p.WithSchema(openapi3.NewBoolSchema()).WithDescription("true 只检查导入表、报告每行的错误，不导入"), nil
	case "from", "to":
		if strings.HasSuffix(path, "/calendar/days") {
			what := map[string]string{"from": "第一天", "to": "最后一天（含），与第一天相隔不超过 100 天"}[name]
			return p.WithRequired(true).WithSchema(openapi3.NewStringSchema().WithFormat("date")).WithDescription(what + "，YYYY-MM-DD"), nil
		}
		return p.WithRequired(true).WithSchema(openapi3.NewStringSchema().WithFormat("date")).WithDescription("起算日（不计入），YYYY-MM-DD"), nil
	case "period":
		return p.WithRequired(true).WithSchema(openapi3.NewStringSchema().WithEnum("workdays", "months", "years", "sanction_term", "on_date", "workdays_before", "notice", "notice_next_day")).
			WithDescription("计算方式：workdays 工作日，months 月，years 年，sanction_term 处罚期间，on_date 固定日期，workdays_before 之前若干工作日，notice、notice_next_day 公示期"), nil
	case "n":
		if strings.HasSuffix(path, "/explain") {
			return p.WithSchema(openapi3.NewIntegerSchema().WithMin(0).WithMax(1000)).WithDescription("工作日、月或年的数量"), nil
		}
		return p.WithRequired(true).WithSchema(openapi3.NewIntegerSchema()).WithDescription("工作日数，可为负"), nil
	}
	return p.WithSchema(str), nil
}

func withRef(p *openapi3.Parameter, ref *openapi3.SchemaRef) *openapi3.Parameter {
	p.Schema = ref
	return p
}

func idempotencyParameter() *openapi3.Parameter {
	return openapi3.NewHeaderParameter(IdempotencyHeader).
		WithSchema(openapi3.NewStringSchema().WithMaxLength(200)).
		WithDescription("幂等键：同一键、同一内容的重试得到第一次的答复且不重复办理；同一键用于不同内容为 422，第一次仍在处理中为 409。")
}

func uploadBody(schemas openapi3.Schemas) *openapi3.RequestBody {
	kinds := vocabularyRef("attachment_kind", schemas) // 按文件内容判断格式，不看文件名
	file := openapi3.NewStringSchema().WithFormat("binary")
	file.Description = "文件"
	form := openapi3.NewObjectSchema().WithProperty("file", file).WithPropertyRef("kind", kinds)
	form.Required = []string{"file", "kind"}
	return openapi3.NewRequestBody().WithRequired(true).WithFormDataSchema(form)
}

func successDescription(status int) string {
	switch status {
	case http.StatusCreated:
		return "已创建"
	case http.StatusAccepted:
		return "已受理"
	}
	return "成功"
}

func producedSchema(mediaType string) *openapi3.Schema {
	switch {
	case strings.HasPrefix(mediaType, "text/"), strings.HasSuffix(mediaType, "+xml"):
		return openapi3.NewStringSchema()
	case mediaType == "application/json":
		return openapi3.NewObjectSchema()
	}
	return openapi3.NewStringSchema().WithFormat("binary")
}

// errorAnswer is one documented error status of an operation.
type errorAnswer struct {
	status int
	codes  []string
	doc    string
}

func (e errorAnswer) response(schema *openapi3.SchemaRef) *openapi3.Response {
	r := openapi3.NewResponse().WithDescription(fmt.Sprintf("%s（code：%s）", e.doc, strings.Join(e.codes, "、"))).
		WithJSONSchemaRef(schema)
	r.Extensions = map[string]any{"x-error-codes": e.codes}
	if doc, ok := retryAfterDocs[e.status]; ok {
		r.Headers = openapi3.Headers{"Retry-After": &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: doc, Schema: openapi3.NewIntegerSchema().NewRef()}}}}
	}
	return r
}

// retryAfterDocs say when an error answer carries Retry-After (seconds).
var retryAfterDocs = map[int]string{
	http.StatusTooManyRequests:    "建议多少秒后重试",
	http.StatusServiceUnavailable: "unavailable 时建议多少秒后重试（pdf_font_missing 须运维处理，不带此头）",
	http.StatusConflict:           "仅在同一幂等键（或相同内容的公开提交）的请求仍在处理中时给出：建议多少秒后重试",
}

// errorAnswers are the error statuses o can answer, each with its codes
// (API.md Errors): what the route's access check, its parameters, its body
// and the idempotency rule can refuse.
func errorAnswers(o op) []errorAnswer {
	var out []errorAnswer
	hasParams := strings.Contains(o.Path, "{")
	write := o.Method == http.MethodPost || o.Method == http.MethodPut || o.Method == http.MethodPatch
	if !o.Public {
		out = append(out,
			errorAnswer{http.StatusUnauthorized, []string{"unauthorized"}, "未提供令牌，或令牌无效、过期"},
			errorAnswer{http.StatusForbidden, []string{"forbidden"}, "调用者的角色或辖区无权办理"})
	}
	if hasParams {
		out = append(out, errorAnswer{http.StatusNotFound, []string{"not_found"}, "没有这条记录"})
	}
	if write || o.Codes[http.StatusConflict] != nil {
		out = append(out, errorAnswer{http.StatusConflict, []string{"conflict"}, "与记录的当前状态冲突，未办理；details 说明当前状态"})
	}
	if write { // any write may carry a body, and every body is bounded
		out = append(out, errorAnswer{http.StatusRequestEntityTooLarge, []string{"body_too_large"}, "请求内容超过上限"})
	}
	{ // every request: cleanRequest refuses control characters in the path, query or key
		out = append(out, errorAnswer{http.StatusUnprocessableEntity, validationCodes(o), "请求有误：fields 逐项列出字段及中文说明"})
	}
	if o.Public && write {
		out = append(out, errorAnswer{http.StatusTooManyRequests, []string{"rate_limited"}, "提交过于频繁，未保存"})
	}
	if strings.HasPrefix(o.Path, "/api/") || o.Path == "/readyz" {
		out = append(out, errorAnswer{http.StatusServiceUnavailable, []string{"unavailable"}, "工作流服务或数据库暂不可用，或未及时响应；可稍后重试"})
	}
	for status, codes := range o.Codes {
		i := slices.IndexFunc(out, func(e errorAnswer) bool { return e.status == status })
		if i < 0 {
			out = append(out, errorAnswer{status, nil, errorDocs[status]})
			i = len(out) - 1
		}
		out[i].codes = append(out[i].codes, codes...)
	}
	return out
}

// errorDocs describe the statuses an operation declares only through Codes.
var errorDocs = map[int]string{
	http.StatusConflict:           "与记录的当前状态冲突，未办理；details 说明当前状态",
	http.StatusNotFound:           "没有这条记录",
	http.StatusServiceUnavailable: "暂不可用，可稍后重试",
	http.StatusTooManyRequests:    "请求过于频繁，请按 Retry-After 稍后再试",
}

// validationCodes are a 422's codes: validation_failed, and the
// refusals of the processes that o's path reaches.
func validationCodes(o op) []string {
	codes := []string{"validation_failed"}
	if strings.HasSuffix(o.Path, "/county-review") || strings.HasSuffix(o.Path, "/city-review") {
		codes = append(codes, "eligibility_not_met")
	}
	return codes
}
