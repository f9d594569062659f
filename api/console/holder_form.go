package console

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// applyField is one input of the holder's 推荐表: its API name, its label
// on 附件1 (form.FieldLabel), how it is typed, and for which brand type it
// is asked ("" both; the API's table says which are required).
type applyField struct {
	Name, Kind, Hint string
	For              form.BrandType
	Options          []option
	// Locked: shown, not changed — a resubmission's county (RULES §3: the
	// county reviews the application it received).
	Locked bool
}

// Kinds of applyField.
const (
	kindText     = "text"
	kindTel      = "tel"
	kindDate     = "date"
	kindWan      = "wan"      // an amount in 万元, up to 2 decimals
	kindCount    = "count"    // a head count
	kindSelect   = "select"   // one of Options
	kindYesNo    = "yesno"    // 是 / 否
	kindLong     = "textarea" // a paragraph
	kindLines    = "lines"    // a list, one entry a line
	kindCommit   = "commit"   // the commitment's tick box
	kindReadOnly = "readonly" // the holder's own USCC, from its account
)

func (f applyField) Label() string { return form.FieldLabel(f.Name) }

// applySection is a part of 附件1, its fields in 附件1's order.
type applySection struct {
	Title  string
	Fields []applyField
}

// applySections are 附件1's sections (the same order as the printed form
// and the application page, application_form.go), then its annex page
// with the facts 第八条 and 第九条 ask for.
var applySections = func() []applySection {
	brandTypes := []option{{string(form.Regional), form.Regional.Label() + "（第八条）"}, {string(form.Enterprise), form.Enterprise.Label() + "（第九条）"}}
	var categories []option
	for _, c := range form.Categories {
		categories = append(categories, option{string(c), c.Label()})
	}
	var counties []option
	for _, c := range form.Counties() {
		counties = append(counties, option{c.Code, c.Name})
	}
	wan := "单位：万元，最多两位小数。"
	return []applySection{
		{"品牌与联系人", []applyField{
			{Name: "brand_name", Kind: kindText, Hint: "2至50个字。"},
			{Name: "contact_name", Kind: kindText},
			{Name: "contact_phone", Kind: kindTel, Hint: "11位手机号，或带区号的固定电话，如0871-63123456。"}}},
		{"实施单位", []applyField{
			{Name: "unit_name", Kind: kindText},
			{Name: "legal_representative", Kind: kindText},
			{Name: "unit_address", Kind: kindText},
			{Name: "uscc", Kind: kindReadOnly, Hint: "注册账户时登记的代码，不能在此修改。"},
			{Name: "registered_on", Kind: kindDate},
			{Name: "registration_place", Kind: kindText},
			{Name: "registered_capital_wan", Kind: kindWan, Hint: wan}}},
		{"类别与所在地", []applyField{
			{Name: "brand_type", Kind: kindSelect, Options: brandTypes, Hint: "区域公用品牌按第八条、企业品牌按第九条核对入库条件。"},
			{Name: "category", Kind: kindSelect, Options: categories},
			{Name: "county_code", Kind: kindSelect, Options: counties, Hint: "由所在县（市、区）人社部门初审。"}}},
		{"经济收入与就业", []applyField{
			{Name: "labor_income_wan", Kind: kindWan, Hint: wan},
			{Name: "worker_annual_income_wan", Kind: kindWan, Hint: wan},
			{Name: "direct_employees", Kind: kindCount, Hint: "单位：人。"},
			{Name: "driven_employment", Kind: kindCount, Hint: "单位：人。"},
			{Name: "direct_poverty_alleviated", Kind: kindCount, Hint: "单位：人。"},
			{Name: "driven_poverty_alleviated", Kind: kindCount, Hint: "单位：人。"},
			{Name: "associated_enterprises", Kind: kindCount, Hint: "单位：个。"},
			{Name: "trainees_two_years", Kind: kindCount, Hint: "单位：人次。"}}},
		{"专利、标准与荣誉", []applyField{
			{Name: "has_patent_or_standard", Kind: kindYesNo},
			{Name: "patents_standards", Kind: kindLines, Hint: "每行一项。"},
			{Name: "honours", Kind: kindLines, Hint: "每行一项，最重要的在前。"}}},
		{"品牌建设", []applyField{
			{Name: "development_plan", Kind: kindLong, Hint: "200字以内。"},
			{Name: "typical_persons", Kind: kindLong, Hint: "选填，2000字以内。"},
			{Name: "commitment", Kind: kindCommit}}},
		{"附页：入库条件相关情况（第八条、第九条）", []applyField{
			{Name: "trademark.registered", Kind: kindYesNo},
			{Name: "trademark.registration_no", Kind: kindText, Hint: "商标已注册时填写。"},
			{Name: "industry_association", Kind: kindText, For: form.Regional, Hint: "区域公用品牌填写承载的行业协会（第八条（三））。"},
			{Name: "industry_scale_wan", Kind: kindWan, For: form.Enterprise, Hint: wan + "企业品牌须在2500万元以上（第九条（三））。"},
			{Name: "fixed_premises", Kind: kindYesNo, For: form.Enterprise},
			{Name: "standards_led", Kind: kindYesNo, For: form.Enterprise},
			{Name: "intangible_heritage", Kind: kindYesNo, For: form.Enterprise},
			{Name: "follow_up_service", Kind: kindLong, For: form.Enterprise, Hint: "企业品牌填写（第九条（六）），500字以内。"}}},
	}
}()

// applySectionsFor is the 推荐表 as c's page offers it: the county field
// offers the functional zones in service too (RULES §1).
func (cs *Console) applySectionsFor(c *gin.Context, resubmission bool) []applySection {
	var counties []option
	for _, co := range cs.counties(c) {
		counties = append(counties, option{co.Code, co.Name})
	}
	out := slices.Clone(applySections)
	for i, s := range out {
		for j, f := range s.Fields {
			if f.Name == "county_code" {
				fields := slices.Clone(s.Fields)
				fields[j].Options = counties
				if resubmission {
					fields[j].Locked, fields[j].Hint = true, "重新提交时不能更改，仍由原县（市、区）人社部门初审。"
				}
				out[i].Fields = fields
			}
		}
	}
	return out
}

// applyFieldNames are every field's name, for reading the posted form.
var applyFieldNames = func() []string {
	var out []string
	for _, s := range applySections {
		for _, f := range s.Fields {
			out = append(out, f.Name)
		}
	}
	return out
}()

// applyFieldByName finds a field's description.
func applyFieldByName(name string) (applyField, bool) {
	for _, s := range applySections {
		for _, f := range s.Fields {
			if f.Name == name {
				return f, true
			}
		}
	}
	return applyField{}, false
}

// applicationBody turns the form's values, as typed, into the API's JSON
// body (API.md "Application form"). A number or choice that cannot be read
// is left out of the body, and its Chinese message is returned by field:
// the API then judges everything else, and the page shows both.
func applicationBody(values map[string]string) (map[string]any, map[string]string) {
	body, errs := map[string]any{}, map[string]string{}
	trademark := map[string]any{}
	for _, name := range applyFieldNames {
		f, _ := applyFieldByName(name)
		v := strings.TrimSpace(values[name])
		var val any
		switch f.Kind {
		case kindWan:
			if v == "" {
				continue
			}
			n, ok := readNumber(v, true)
			if !ok {
				errs[name] = "请填写数字（单位：万元），如 1200 或 1200.50"
				continue
			}
			val = n
		case kindCount:
			if v == "" {
				continue
			}
			n, ok := readNumber(v, false)
			if !ok {
				errs[name] = numberRefusal(false)
				continue
			}
			val = n
		case kindYesNo:
			switch v {
			case "yes":
				val = true
			case "no":
				val = false
			default:
				continue
			}
		case kindCommit:
			if v != "yes" {
				continue
			}
			val = true
		case kindLines:
			var items []string
			for _, line := range strings.Split(v, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					items = append(items, line)
				}
			}
			if len(items) == 0 {
				continue
			}
			val = items
		default:
			if v == "" {
				continue // the API reads a missing text as empty
			}
			val = v
		}
		if sub, ok := strings.CutPrefix(name, "trademark."); ok {
			trademark[sub] = val
			continue
		}
		body[name] = val
	}
	if len(trademark) > 0 {
		body["trademark"] = trademark
	}
	return body, errs
}

// formValuesOf is the reverse of applicationBody: an application's stored
// form (the API's form object) as the page's values, to correct a returned
// application.
func formValuesOf(raw map[string]any) map[string]string {
	out := map[string]string{}
	yesNo := func(v any) string {
		if b, ok := v.(bool); ok {
			if b {
				return "yes"
			}
			return "no"
		}
		return ""
	}
	for _, name := range applyFieldNames {
		f, _ := applyFieldByName(name)
		var v any
		if sub, ok := strings.CutPrefix(name, "trademark."); ok {
			if t, ok := raw["trademark"].(map[string]any); ok {
				v = t[sub]
			}
		} else {
			v = raw[name]
		}
		switch x := v.(type) {
		case nil:
		case string:
			out[name] = x
		case float64:
			out[name] = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			if f.Kind == kindCommit {
				if x {
					out[name] = "yes"
				}
			} else {
				out[name] = yesNo(x)
			}
		case []any:
			var lines []string
			for _, item := range x {
				if s, ok := item.(string); ok {
					lines = append(lines, s)
				}
			}
			out[name] = strings.Join(lines, "\n")
		}
	}
	return out
}

// eligibilityOf is the checklist of 第八条 or 第九条 for the values as
// typed so far — form.Eligibility, the rules the API applies on
// submission — each line with the article its threshold comes from.
func eligibilityOf(values map[string]string) []checkView {
	body, _ := applicationBody(values)
	a := form.Application{}
	if b, err := jsonRoundTrip(body, &a); err != nil || !b {
		return nil
	}
	var out []checkView
	for _, c := range form.Eligibility(a) {
		out = append(out, checkView{Check: c, Article: articleOf(c.Note)})
	}
	return out
}

// placeErrors puts the API's field errors under the form's fields. The API
// names a list's entry ("honours[2]") and a missing group ("trademark")
// where the form has one input for each; an error the form has no input for
// is returned in unplaced, for the page's top message, never dropped.
func placeErrors(fields map[string]string) (placed map[string]string, unplaced []string) {
	placed = map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		name, _, _ := strings.Cut(key, "[")
		if name == "trademark" {
			name = "trademark.registered"
		}
		if _, ok := applyFieldByName(name); !ok {
			unplaced = append(unplaced, fields[key])
			continue
		}
		if placed[name] != "" {
			placed[name] += "；"
		}
		placed[name] += fields[key]
	}
	return placed, unplaced
}
