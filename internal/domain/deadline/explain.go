package deadline

import (
	"fmt"
	"slices"
	"time"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// Explanation says how a deadline was computed, for a person to check it
// (issue 15 item 4): the rule and its article, the first counted day, every
// day looked at with why it counted or was skipped, and whether the result
// rests on a provisional calendar year.
type Explanation struct {
	Rule     Rule   `json:"rule" doc:"计算规则：起算日、计算方式、数量、县（市、区）日历"`
	Counting string `json:"counting" doc:"计算方式的中文说明"`
	Article  string `json:"article" doc:"依据的条款"`
	// Start is the first day counted (working days) or the day the period
	// is counted from (months, years).
	Start calendar.Date `json:"start" format:"date" doc:"第一个计入的日子"`
	// Nominal is the last day before 民法典第二百零三条 moves it off a day of
	// rest (months, years); equal to Due when nothing moved.
	Nominal          calendar.Date `json:"nominal,omitempty" format:"date" doc:"按月、年推算出的最后一日（顺延前）"`
	Due              calendar.Date `json:"due" format:"date" doc:"期限的最后一日"`
	DueAt            time.Time     `json:"due_at" doc:"期限届满的时刻（次日 00:00，+08:00）"`
	Provisional      bool          `json:"provisional" doc:"按暂定日历计算：所涉年份的节假日安排尚未公布"`
	ProvisionalYears []int         `json:"provisional_years,omitempty" doc:"尚无正式安排（按法定节日推算）的年份"`
	CalendarVersion  int           `json:"calendar_version" doc:"计算所用的日历版本"`
	Days             []Day         `json:"days" doc:"逐日说明：计入的工作日与跳过的日子"`
}

// Day is one day of an explanation.
type Day struct {
	Date    calendar.Date `json:"date" format:"date" doc:"日期"`
	Weekday string        `json:"weekday" doc:"星期"`
	// Counted is the working day's number in the count (0: not counted).
	Counted int `json:"counted" doc:"计入的第几个工作日；0 为不计入"`
	// Reason says why a day was skipped, or that a weekend day was worked.
	Reason string `json:"reason,omitempty" doc:"跳过的原因（周末、节假日名称、县（市、区）假日）或“调休上班”"`
}

// explainDays bounds the days an explanation lists: the longest period
// counted day by day here is some 60 working days.
const explainDays = 200

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Explain computes rule r on cal, as Compute does, and says how.
func Explain(cal *calendar.Calendar, r Rule) (Explanation, error) {
	s, err := Compute(cal, r)
	if err != nil {
		return Explanation{}, err
	}
	if r.County != "" {
		cal = cal.ForCounty(r.County)
	}
	e := Explanation{Rule: r, Due: s.Deadline.Due, DueAt: s.Deadline.DueAt, Provisional: s.Deadline.Provisional,
		CalendarVersion: s.Deadline.CalendarVersion, Nominal: s.Deadline.Due}
	e.Rule.Alerts = AlertPolicy{}
	local := cal.CountyOffDays(r.County)
	day := func(d calendar.Date, counted int) Day {
		out := Day{Date: d, Weekday: weekdays[d.Weekday()], Counted: counted}
		info, _ := cal.Days(d, d)
		switch {
		case len(info) == 0:
		case slices.Contains(local, d) && !info[0].Workday:
			out.Reason = "县（市、区）地方假日"
			if info[0].Name != "" && info[0].Name != calendar.HolidayLocal {
				out.Reason += "：" + info[0].Name
			}
		case info[0].Adjusted:
			out.Reason = "调休上班"
		case !info[0].Workday && info[0].Name != "":
			out.Reason = "节假日：" + info[0].Name
		case !info[0].Workday:
			out.Reason = "周末"
		}
		return out
	}
	// count lists the days from the day after from towards to, numbering
	// the working days.
	count := func(from calendar.Date, step int, last calendar.Date) {
		n := 0
		for d := from.AddDays(step); len(e.Days) < explainDays; d = d.AddDays(step) {
			c := 0
			if cal.IsWorkday(d) {
				n++
				c = n
			}
			e.Days = append(e.Days, day(d, c))
			if d == last {
				break
			}
		}
	}
	switch r.Period {
	case Workdays:
		e.Counting = fmt.Sprintf("自 %s 的次日起算，计 %d 个工作日，第 %d 个工作日 24 时届满", r.From, r.N, r.N)
		e.Article = "《民法典》第二百零一条：按照日计算期间的，开始的当日不计入，自下一日开始计算。工作日为周一至周五，法定节假日不计入，调休上班日计入"
		e.Start = cal.NextWorkday(r.From.AddDays(1))
		count(r.From, 1, e.Due)
	case WorkdaysBefore:
		e.Counting = fmt.Sprintf("%s 之前倒数 %d 个工作日", r.From, r.N)
		e.Article = "《昆明市市级劳务品牌项目库入库工作方案（试行）》第十五条（三）：一年期届满前，市级人社部门可根据整改情况，再次作出暂停劳务品牌标识使用权一年的决定"
		e.Start = r.From
		count(r.From, -1, e.Due)
	case Months, Years:
		unit := "个月"
		e.Nominal = AddMonthsOrYears(r)
		if r.Period == Years {
			unit = "年"
		}
		e.Counting = fmt.Sprintf("自 %s 起算 %d %s，至 %s；最后一日不是工作日的，顺延至其后第一个工作日", r.From, r.N, unit, e.Nominal)
		e.Article = "《民法典》第二百零二条、第二百零三条：按照年、月计算期间的，到期月的对应日为期间的最后一日；期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日"
		e.Start = r.From
		for d := e.Nominal; !d.After(e.Due) && len(e.Days) < explainDays; d = d.AddDays(1) {
			c := 0
			if cal.IsWorkday(d) {
				c = 1
			}
			e.Days = append(e.Days, day(d, c))
		}
	case SanctionTerm:
		e.Counting = fmt.Sprintf("自 %s 起 %d 个月，届满日不因节假日顺延", r.From, r.N)
		e.Article = "《昆明市市级劳务品牌项目库入库工作方案（试行）》第十五条（三）：暂停劳务品牌标识使用权一年。暂停期是限制权利的期间，届满日不因节假日顺延"
		e.Start = r.From
	case OnDate:
		e.Counting = fmt.Sprintf("固定日期：%s", r.From)
		e.Article = "由此前的决定确定的日期（如整改期限、暂停期满日）"
		e.Start = r.From
	case Notice, NoticeNextDay:
		e.Start = s.Start
		e.Counting = fmt.Sprintf("%s 发布，公示 %d 个工作日（发布当日为工作日的计为第 1 日）", r.From, r.N)
		from := r.From.AddDays(-1)
		if r.Period == NoticeNextDay {
			e.Counting = fmt.Sprintf("%s 发布，自次一工作日起公示 %d 个工作日", r.From, r.N)
			from = r.From
		}
		e.Article = "《昆明市市级劳务品牌项目库入库工作方案（试行）》第十三条：入库名单向社会公示 5 个工作日"
		count(from, 1, e.Due)
	}
	e.ProvisionalYears = cal.ProvisionalYears(r.From, e.Due)
	return e, nil
}

// AddMonthsOrYears is the nominal last day of a months or years rule, before
// 民法典第二百零三条 moves it.
func AddMonthsOrYears(r Rule) calendar.Date {
	if r.Period == Years {
		return calendar.AddYears(r.From, r.N)
	}
	return calendar.AddMonths(r.From, r.N)
}
