package stats

import (
	"time"
	"unicode/utf8"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/spreadsheet"
	"github.com/kunming-hrss/laborbrand/store"
)

// Workbook writes the figures as an Excel workbook, a sheet per table: the
// scope and period (real dates), the headline figures of the yearly report,
// the brands by county and status, then each of the figures' lists with
// Chinese names for their codes. The caller sends it (WriteTo) or drops it
// (Close).
func Workbook(s store.Statistics, printed time.Time) (*spreadsheet.Writer, error) {
	w, err := spreadsheet.New("统计范围", []spreadsheet.Column{
		{Header: "范围", Width: 16}, {Header: "统计年度", Width: 10, Kind: spreadsheet.Number},
		{Header: "统计期间起", Width: 12, Kind: spreadsheet.Date}, {Header: "统计期间止", Width: 12, Kind: spreadsheet.Date},
		{Header: "品牌状态截至", Width: 17, Kind: spreadsheet.Instant}, {Header: "现有品牌（个）", Width: 14, Kind: spreadsheet.Number},
		{Header: "本期新入库（个）", Width: 16, Kind: spreadsheet.Number},
	})
	if err != nil {
		return nil, err
	}
	scope, year := "全市", any(nil)
	if s.County != "" {
		scope = countyName(s, s.County)
	}
	if s.Year != 0 {
		year = s.Year
	}
	generated := s.GeneratedAt
	if generated.IsZero() {
		generated = printed
	}
	sheets := []func() error{
		func() error { return w.Row(scope, year, s.From, s.To, generated, InLibrary(s), s.AdmittedIn) },
		func() error {
			if err := w.Sheet("概况", []spreadsheet.Column{{Header: "项目", Width: 24}, {Header: "情况", Width: 60}}); err != nil {
				return err
			}
			for _, line := range YearlyReport(s, printed).Summary {
				if err := w.Row(line[0], line[1]); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			cols := []spreadsheet.Column{{Header: countyTableHeader[0], Width: 18}}
			for _, h := range countyTableHeader[1:] {
				width := max(10, 2*float64(utf8.RuneCountInString(h))) // a CJK character is two wide
				cols = append(cols, spreadsheet.Column{Header: h, Width: width, Kind: spreadsheet.Number})
			}
			if err := w.Sheet("各县（市、区）品牌状态", cols); err != nil {
				return err
			}
			for _, r := range CountyTable(s) {
				row := []any{r.Name}
				for _, n := range r.Counts {
					row = append(row, n)
				}
				if err := w.Row(row...); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("品牌分布", []spreadsheet.Column{{Header: "县（市、区）", Width: 18}, {Header: "所属类别", Width: 22},
				{Header: "状态", Width: 12}, {Header: "品牌数（个）", Width: 12, Kind: spreadsheet.Number}}); err != nil {
				return err
			}
			for _, b := range s.Brands {
				if err := w.Row(countyName(s, b.CountyCode), or(form.Category(b.Category).Label(), b.Category),
					StatusLabel(b.Status), b.Count); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("动态管理级别", []spreadsheet.Column{{Header: "第十五条情形", Width: 26},
				{Header: "品牌数（个）", Width: 12, Kind: spreadsheet.Number}}); err != nil {
				return err
			}
			for _, l := range s.Ladder {
				if err := w.Row(RungLabel(l.Level), l.Count); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("申请", []spreadsheet.Column{{Header: "批次编号", Width: 18}, {Header: "批次名称", Width: 22},
				{Header: "阶段", Width: 12}, {Header: "申请数（件）", Width: 12, Kind: spreadsheet.Number}}); err != nil {
				return err
			}
			for _, a := range s.Applications {
				if err := w.Row(a.RoundID, a.RoundName, StageLabel(a.Stage), a.Count); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("初审复审通过率", []spreadsheet.Column{{Header: "审核", Width: 16},
				{Header: "通过（件）", Width: 10, Kind: spreadsheet.Number}, {Header: "不通过（件）", Width: 12, Kind: spreadsheet.Number},
				{Header: "退回补充（件）", Width: 14, Kind: spreadsheet.Number}, {Header: "通过率", Width: 10, Kind: spreadsheet.Percent}}); err != nil {
				return err
			}
			for _, r := range s.Reviews {
				if err := w.Row(ReviewLabel(r.Review), r.Approved, r.Rejected, r.Returned, r.PassRate); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("公示异议", []spreadsheet.Column{{Header: "提出方式", Width: 12}, {Header: "结果", Width: 12},
				{Header: "异议数（件）", Width: 12, Kind: spreadsheet.Number}}); err != nil {
				return err
			}
			for _, o := range s.Objections {
				if err := w.Row(or(viaLabels[o.Via], o.Via), or(objectionLabels[o.Status], o.Status), o.Count); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("办理时限", []spreadsheet.Column{{Header: "部门", Width: 20},
				{Header: "办结（件）", Width: 10, Kind: spreadsheet.Number}, {Header: "按期（件）", Width: 10, Kind: spreadsheet.Number},
				{Header: "逾期（件）", Width: 10, Kind: spreadsheet.Number}, {Header: "仍逾期未办（件）", Width: 16, Kind: spreadsheet.Number},
				{Header: "按期率", Width: 10, Kind: spreadsheet.Percent}}); err != nil {
				return err
			}
			for _, o := range s.Deadlines {
				if err := w.Row(officeLabel(s, o.Office), o.Decided, o.Met, o.Missed, o.OverdueNow, o.MetRate); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			if err := w.Sheet("各阶段用时", []spreadsheet.Column{{Header: "阶段", Width: 12},
				{Header: "次数", Width: 8, Kind: spreadsheet.Number}, {Header: "中位数（自然日）", Width: 16, Kind: spreadsheet.Number},
				{Header: "90分位（自然日）", Width: 16, Kind: spreadsheet.Number}}); err != nil {
				return err
			}
			for _, d := range s.StageDays {
				if err := w.Row(StageLabel(d.Stage), d.Stays, d.Median, d.P90); err != nil {
					return err
				}
			}
			return nil
		},
	}
	for _, sheet := range sheets {
		if err := sheet(); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}
