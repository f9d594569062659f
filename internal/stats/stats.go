// Package stats turns the library's figures (store.Statistics) into what
// people look at: the named charts of GET /api/v1/statistics/charts/{name}
// and the yearly report, in Chinese. The console shows the same charts.
package stats

import (
	"slices"

	"github.com/kunming-hrss/laborbrand/internal/charts"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/store"
)

// The vocabularies' words as the charts print them.
var (
	Statuses     = []string{"active", "rectifying", "suspended", "removed"}
	statusLabels = map[string]string{"active": "正常", "rectifying": "整改中", "suspended": "暂停标识使用", "removed": "已移出"}
	Rungs        = []string{"active", "level_1", "level_2", "suspended", "removed"}
	rungLabels   = map[string]string{"active": "正常", "level_1": "一级：责令一个月整改", "level_2": "二级：约谈、三个月整改",
		"suspended": "三级：暂停标识使用权", "removed": "四级：移出目录"}
	Stages      = []string{"county_review", "returned", "city_review", "public_notice", "objection_review", "admitted", "rejected", "withdrawn"}
	stageLabels = map[string]string{"county_review": "初审", "returned": "退回补充", "city_review": "复审", "public_notice": "公示",
		"objection_review": "异议复核", "admitted": "已入库", "rejected": "未通过", "withdrawn": "已撤回"}
	reviewLabels    = map[string]string{"county_review": "初审（县级）", "city_review": "复审（市级）"}
	viaLabels       = map[string]string{"public": "网上提出", "mail": "邮寄提出"}
	objectionStates = []string{"open", "upheld", "dismissed"}
	objectionLabels = map[string]string{"open": "待复核", "upheld": "异议成立", "dismissed": "异议不成立"}
)

// StageLabel, StatusLabel, RungLabel and OfficeLabel are the Chinese names.
func StageLabel(s string) string  { return or(stageLabels[s], s) }
func StatusLabel(s string) string { return or(statusLabels[s], s) }
func RungLabel(s string) string   { return or(rungLabels[s], s) }
func ReviewLabel(s string) string { return or(reviewLabels[s], s) }

// OfficeLabel names an office of the deadlines: a county bureau or the
// city's, a county looked up in the 14 only (officeLabel knows the zones).
func OfficeLabel(office string) string { return officeLabel(store.Statistics{}, office) }

func officeLabel(s store.Statistics, office string) string {
	if office == "city" {
		return "市人社局"
	}
	return countyName(s, office) + "人社局"
}

// countyName names a county or functional zone of the figures: as the
// store read it from review_units (RULES §1), else as one of the 14
// counties, else by its code, so a zone's brands are never left unnamed.
func countyName(s store.Statistics, code string) string {
	return paper.CountyNames(s.CountyNames).Name(code)
}

// countyCodes are the places the figures show brands by: the 14 counties
// in code order, then the functional zones that have brands, in code order
// too, so that no brand drops out of a table's totals.
func countyCodes(s store.Statistics) []string {
	var codes, zones []string
	for _, c := range form.Counties() {
		codes = append(codes, c.Code)
	}
	for _, b := range s.Brands {
		if !slices.Contains(codes, b.CountyCode) && !slices.Contains(zones, b.CountyCode) {
			zones = append(zones, b.CountyCode)
		}
	}
	slices.Sort(zones)
	return append(codes, zones...)
}

// statusRemoved is the status of a brand moved out of the 目录 (第十五条
// （四））: it is no longer in the library, so never counted as 现有.
const statusRemoved = "removed"

// InLibrary counts the brands in the library now (现有): every status but
// removed. store.Statistics.BrandsTotal counts the removed ones too.
func InLibrary(s store.Statistics) int {
	n := 0
	for _, b := range s.Brands {
		if b.Status != statusRemoved {
			n += b.Count
		}
	}
	return n
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Names are the charts, in the order a report shows them.
var Names = []string{"brands-by-county", "brands-by-category", "ladder", "applications-by-stage", "pass-rates", "objections",
	"deadlines", "stage-days"}

// Charts draws every named chart of the figures.
func Charts(s store.Statistics) []charts.Chart {
	out := make([]charts.Chart, 0, len(Names))
	for _, n := range Names {
		c, _ := Chart(s, n)
		out = append(out, c)
	}
	return out
}

// Chart draws one chart by name; false for a name not in Names.
func Chart(s store.Statistics, name string) (charts.Chart, bool) {
	switch name {
	case "brands-by-county":
		return brandsBy(s, name, "各县（市、区）劳务品牌数量", func(b store.BrandCell) string { return countyName(s, b.CountyCode) }, countyOrder(s)), true
	case "brands-by-category":
		return brandsBy(s, name, "各类别劳务品牌数量", func(b store.BrandCell) string { return form.Category(b.Category).Label() }, categoryOrder()), true
	case "ladder":
		c := charts.Chart{Name: name, Title: "动态管理：各级情形的品牌数量（第十五条）", Unit: "个", Series: []string{"品牌"}}
		for _, r := range Rungs {
			n := 0
			for _, l := range s.Ladder {
				if l.Level == r {
					n += l.Count
				}
			}
			c.Groups = append(c.Groups, charts.Group{Label: RungLabel(r), Values: []float64{float64(n)}})
		}
		return c, true
	case "applications-by-stage":
		c := charts.Chart{Name: name, Title: "申报各阶段的申请数量", Unit: "件", Series: []string{"申请"}}
		for _, st := range Stages {
			n := 0
			for _, a := range s.Applications {
				if a.Stage == st {
					n += a.Count
				}
			}
			c.Groups = append(c.Groups, charts.Group{Label: StageLabel(st), Values: []float64{float64(n)}})
		}
		return c, true
	case "pass-rates":
		c := charts.Chart{Name: name, Title: "初审、复审通过率（通过 ÷（通过＋不通过））", Unit: "%", Series: []string{"通过率"}}
		for _, r := range s.Reviews {
			v := 0.0
			if r.PassRate != nil {
				v = *r.PassRate * 100
			}
			c.Groups = append(c.Groups, charts.Group{Label: ReviewLabel(r.Review), Values: []float64{v}})
		}
		return c, true
	case "objections":
		c := charts.Chart{Name: name, Title: "公示异议及复核结果", Unit: "件", Stacked: true}
		for _, st := range objectionStates {
			c.Series = append(c.Series, objectionLabels[st])
		}
		for _, via := range []string{"public", "mail"} {
			g := charts.Group{Label: viaLabels[via], Values: make([]float64, len(objectionStates))}
			for _, o := range s.Objections {
				if i := slices.Index(objectionStates, o.Status); o.Via == via && i >= 0 {
					g.Values[i] += float64(o.Count)
				}
			}
			c.Groups = append(c.Groups, g)
		}
		return c, true
	case "deadlines":
		c := charts.Chart{Name: name, Title: "各部门办理时限：按期与逾期", Unit: "件", Series: []string{"按期办结", "逾期（含仍逾期未办）"}, Stacked: true}
		for _, o := range s.Deadlines {
			c.Groups = append(c.Groups, charts.Group{Label: officeLabel(s, o.Office), Values: []float64{float64(o.Met), float64(o.Missed)}})
		}
		return c, true
	case "stage-days":
		c := charts.Chart{Name: name, Title: "各阶段用时（自然日）：中位数与90分位", Unit: "天", Series: []string{"中位数", "90分位"}}
		for _, d := range s.StageDays {
			c.Groups = append(c.Groups, charts.Group{Label: StageLabel(d.Stage), Values: []float64{d.Median, d.P90}})
		}
		return c, true
	}
	return charts.Chart{}, false
}

// brandsBy stacks the brands of each row by status.
func brandsBy(s store.Statistics, name, title string, row func(store.BrandCell) string, order []string) charts.Chart {
	c := charts.Chart{Name: name, Title: title, Unit: "个", Stacked: true}
	for _, st := range Statuses {
		c.Series = append(c.Series, StatusLabel(st))
	}
	rows := map[string][]float64{}
	for _, b := range s.Brands {
		k := row(b)
		if rows[k] == nil {
			rows[k] = make([]float64, len(Statuses))
		}
		if i := slices.Index(Statuses, b.Status); i >= 0 {
			rows[k][i] += float64(b.Count)
		}
	}
	for _, k := range order {
		if v, ok := rows[k]; ok {
			c.Groups = append(c.Groups, charts.Group{Label: k, Values: v})
		}
	}
	return c
}

func countyOrder(s store.Statistics) []string {
	var out []string
	for _, code := range countyCodes(s) {
		out = append(out, countyName(s, code))
	}
	return out
}

func categoryOrder() []string {
	var out []string
	for _, c := range form.Categories {
		out = append(out, c.Label())
	}
	return out
}
