// Package calendar is the Chinese business calendar of the labor-brand
// system: civil dates in Asia/Shanghai, working days under the State
// Council's yearly holiday notices, and the legal periods of 民法典第二百零一条–
// 第二百零三条 (RULES §5). It is pure date logic: no I/O, and no global state
// but the lazily built, immutable Default calendar.
//
// Working days are kept per year in a rickar/cal BusinessCalendar: the days
// off of the official schedule (Embedded, 2020–2026) are its holidays, and
// its WorkdayFunc admits the adjusted working weekends (调休上班). A year
// without an official schedule is computed from 全国年节及纪念日放假办法
// (2024 revision) 第二条 and 第六条, with lunar dates and the 清明 solar term
// from lunar-go, and is provisional: deadlines that touch it say so and are to
// be recomputed when the notice is loaded. A county can add local off days
// (第四条) through WithCountyOffDays and ForCounty.
//
// A year is built on first use (about 1 ms: lunar dates, then each day asked
// of its BusinessCalendar once) and kept by the calendar. Benchmarks, run
// once with go test -bench . on linux/amd64, Intel Xeon, 2 cores shared with
// other work, years already built:
//
//	BenchmarkAdd10WorkdaysEveryDayOfYear   363789 ns/op   (365 counts, about 1.0 µs each)
//	BenchmarkAdd1000Workdays               101267 ns/op
package calendar
