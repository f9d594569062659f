package stats

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/store"
)

// YearlyReport is the city bureau's report of a year (s computed with that
// Year): the headline figures, the brands by county and status, and every
// chart. The brands' states are as of the figures' computing (s.GeneratedAt,
// which a cached figure set keeps), as the workbook says; printed is the
// page's footer.
func YearlyReport(s store.Statistics, printed time.Time) paper.Report {
	scope := "全市"
	if s.County != "" {
		scope = countyName(s, s.County)
	}
	asOf := s.GeneratedAt
	if asOf.IsZero() {
		asOf = printed
	}
	r := paper.Report{
		Title: fmt.Sprintf("昆明市市级劳务品牌项目库%d年度统计报告", s.Year),
		Subtitle: fmt.Sprintf("范围：%s　统计期间：%s至%s　品牌状态截至：%s", scope, paper.DatesCN(s.From), paper.DatesCN(s.To),
			asOf.In(calendar.Shanghai).Format("2006年1月2日 15:04")),
		Charts:  Charts(s),
		Printed: printed,
	}
	// Figures of no year (statistics.xlsx without ?year=) count since the
	// library began: not "this year's".
	period := "本年度"
	if s.Year == 0 {
		period = "累计"
	}
	byStatus := map[string]int{}
	for _, b := range s.Brands {
		byStatus[b.Status] += b.Count
	}
	apps := 0
	for _, a := range s.Applications {
		apps += a.Count
	}
	objections, upheld := 0, 0
	for _, o := range s.Objections {
		objections += o.Count
		if o.Status == "upheld" {
			upheld += o.Count
		}
	}
	met, missed := 0, 0
	for _, o := range s.Deadlines {
		met, missed = met+o.Met, missed+o.Missed
	}
	r.Summary = [][2]string{
		{"项目库劳务品牌（现有）", fmt.Sprintf("%d个：正常%d个，整改中%d个，暂停标识使用%d个", InLibrary(s),
			byStatus["active"], byStatus["rectifying"], byStatus["suspended"])},
		{"已移出目录", fmt.Sprintf("%d个（不计入现有）", byStatus[statusRemoved])},
		{period + "新入库", fmt.Sprintf("%d个", s.AdmittedIn)},
		{period + "申报", fmt.Sprintf("%d件", apps)},
	}
	for _, rv := range s.Reviews {
		r.Summary = append(r.Summary, [2]string{ReviewLabel(rv.Review) + "通过率",
			fmt.Sprintf("%s（通过%d件，不通过%d件，退回补充%d件）", percent(rv.PassRate), rv.Approved, rv.Rejected, rv.Returned)})
	}
	rate := (*float64)(nil)
	if met+missed > 0 {
		v := float64(met) / float64(met+missed)
		rate = &v
	}
	r.Summary = append(r.Summary,
		[2]string{"公示异议", fmt.Sprintf("%d件，其中异议成立%d件", objections, upheld)},
		[2]string{"办理时限", fmt.Sprintf("按期办结%d件，逾期%d件，按期率%s", met, missed, percent(rate))})
	for _, d := range s.StageDays {
		r.Summary = append(r.Summary, [2]string{StageLabel(d.Stage) + "用时", fmt.Sprintf("中位数%s天，90分位%s天（%d次）",
			strconv.FormatFloat(d.Median, 'f', 1, 64), strconv.FormatFloat(d.P90, 'f', 1, 64), d.Stays)})
	}
	r.Table = paper.Table{Caption: "各县（市、区）劳务品牌状态", Header: countyTableHeader}
	for _, row := range CountyTable(s) {
		cells := []string{row.Name}
		for _, n := range row.Counts {
			cells = append(cells, strconv.Itoa(n))
		}
		r.Table.Rows = append(r.Table.Rows, cells)
	}
	return r
}

func percent(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

// countyTableHeader's last column is the brands in the library, removed
// ones left out: its 合计 is the headline's 现有.
var countyTableHeader = []string{"县（市、区）", "正常", "整改中", "暂停标识使用", "已移出", "现有（不含已移出）"}

// CountyRow is one row of the brands by county and status: the county's or
// functional zone's name (or 合计), its counts in the order of Statuses,
// then its brands in the library (现有: all but the removed).
type CountyRow struct {
	Name   string
	Counts []int
}

// CountyTable is the brands of each county by status: every county of the
// city (only those with brands when s is one county's), then the
// functional zones with brands, and the totals last — a zone's brands
// counted, so the 合计 row's 现有 is the headline's.
func CountyTable(s store.Statistics) []CountyRow {
	var out []CountyRow
	totals := make([]int, len(Statuses)+1)
	for _, code := range countyCodes(s) {
		row, has := countyCounts(s, code)
		if !has && s.County != "" {
			continue
		}
		for i, n := range row {
			totals[i] += n
		}
		out = append(out, CountyRow{Name: countyName(s, code), Counts: row})
	}
	return append(out, CountyRow{Name: "合计", Counts: totals})
}

// countyCounts are a county's brands by status, then those in the library;
// false when it has no brand at all.
func countyCounts(s store.Statistics, code string) ([]int, bool) {
	row := make([]int, len(Statuses)+1)
	found := false
	for _, b := range s.Brands {
		if b.CountyCode != code {
			continue
		}
		found = true
		if i := slices.Index(Statuses, b.Status); i >= 0 {
			row[i] += b.Count
		}
		if b.Status != statusRemoved {
			row[len(Statuses)] += b.Count
		}
	}
	return row, found
}
