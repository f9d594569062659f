package calendar

// The official schedules 2020–2026, from the State Council notices. Each year
// was cross-checked against at least two independent public copies of its
// notice (reproductions by news sites and government sites; the
// document numbers as printed there):
//
//   - 2020, 国办发明电〔2019〕16号: news.chengdu.cn/2019/1121/2083946.shtml
//     (新华社), kaixinit.com/news/3681.html, gansulong.com/c/0Q25M3X2022_2.html
//     (with the number). Extension 国办发明电〔2020〕1号 (春节 until 02-02,
//     work from Monday 02-03): farmer.com.cn/2020/01/27/99847578.html
//     (新华社), gansulong.com (with the number).
//   - 2021, 国办发明电〔2020〕27号: cncaprc.cn (source 中国政府网, with the
//     number), 0798ci.com/law/95022.html (with the number),
//     suzhou.gusuwang.com/v17237.html.
//   - 2022, 国办发明电〔2021〕11号: beijing.gov.cn
//     zhengce/zhengcefagui/202110/t20211026_2520500.html (with the number),
//     sn.people.com.cn/n2/2021/1026/c186331-34973987.html (人民日报),
//     cgksw.com/xinwen/36905.html (with the number).
//   - 2023, 国办发明电〔2022〕16号: zh.wikisource.org (国务院公报 2023年第1号,
//     with the number), big5.china.com.cn (新华社), fz.xmtw.org.cn (copy of
//     mee.gov.cn, with the number).
//   - 2024, 国办发明电〔2023〕7号: zh.wikisource.org (国务院公报 2023年第31号,
//     with the number), paper.people.com.cn 人民日报 2023-10-26 第06版.
//   - 2025, 国办发明电〔2024〕12号: m.gmw.cn/2024-11/12/content_1303894933.htm
//     (新华网), gbitcoin.cn (新华网 copy), mip.gyhiac.cn (with the number).
//   - 2026, 国办发明电〔2025〕7号: politics.gmw.cn/2025-11/04/content_38391083.htm
//     (新华网), hrbtv.net/folder963/2025-11-04/1096647.html,
//     epaper.zsnews.cn 中山日报 2025-11-05. The press copies omit the number;
//     it is as cited by several public code repositories that keep the 2026
//     schedule (one citing beijing.gov.cn) — check it against 国务院公报.
//
// The notice for 2023 starts 元旦 on 2022-12-31 (a Saturday, so a day off
// anyway); a Schedule may hold days of the December before (Covers), but that
// day changes nothing and is not listed. Off lists every day of each block as
// the notice gives it.

// Embedded returns the official schedules 2020–2026. Each call returns new
// slices that the caller may change.
func Embedded() []Schedule {
	return []Schedule{
		{
			Year: 2020,
			Notice: "国务院办公厅关于2020年部分节假日安排的通知（国办发明电〔2019〕16号）；" +
				"国务院办公厅关于延长2020年春节假期的通知（国办发明电〔2020〕1号）",
			// 春节 01-24..01-30 extended to 02-02, so Saturday 02-01 became a
			// day off instead of a working day.
			Off: dates("2020-01-01", "2020-01-24..2020-02-02", "2020-04-04..2020-04-06",
				"2020-05-01..2020-05-05", "2020-06-25..2020-06-27", "2020-10-01..2020-10-08"),
			Work: dates("2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10"),
		},
		{
			Year:   2021,
			Notice: "国务院办公厅关于2021年部分节假日安排的通知（国办发明电〔2020〕27号）",
			Off: dates("2021-01-01..2021-01-03", "2021-02-11..2021-02-17", "2021-04-03..2021-04-05",
				"2021-05-01..2021-05-05", "2021-06-12..2021-06-14", "2021-09-19..2021-09-21",
				"2021-10-01..2021-10-07"),
			Work: dates("2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18",
				"2021-09-26", "2021-10-09"),
		},
		{
			Year:   2022,
			Notice: "国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号）",
			Off: dates("2022-01-01..2022-01-03", "2022-01-31..2022-02-06", "2022-04-03..2022-04-05",
				"2022-04-30..2022-05-04", "2022-06-03..2022-06-05", "2022-09-10..2022-09-12",
				"2022-10-01..2022-10-07"),
			Work: dates("2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07",
				"2022-10-08", "2022-10-09"),
		},
		{
			Year:   2023,
			Notice: "国务院办公厅关于2023年部分节假日安排的通知（国办发明电〔2022〕16号）",
			Off: dates("2023-01-01..2023-01-02", "2023-01-21..2023-01-27", "2023-04-05",
				"2023-04-29..2023-05-03", "2023-06-22..2023-06-24", "2023-09-29..2023-10-06"),
			Work: dates("2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25",
				"2023-10-07", "2023-10-08"),
		},
		{
			Year:   2024,
			Notice: "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）",
			Off: dates("2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06",
				"2024-05-01..2024-05-05", "2024-06-10", "2024-09-15..2024-09-17",
				"2024-10-01..2024-10-07"),
			Work: dates("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11",
				"2024-09-14", "2024-09-29", "2024-10-12"),
		},
		{
			Year:   2025,
			Notice: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
			Off: dates("2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06",
				"2025-05-01..2025-05-05", "2025-05-31..2025-06-02", "2025-10-01..2025-10-08"),
			Work: dates("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"),
		},
		{
			Year:   2026,
			Notice: "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
			Off: dates("2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06",
				"2026-05-01..2026-05-05", "2026-06-19..2026-06-21", "2026-09-25..2026-09-27",
				"2026-10-01..2026-10-07"),
			Work: dates("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"),
		},
	}
}

// dates expands literal "YYYY-MM-DD" and "YYYY-MM-DD..YYYY-MM-DD" (both ends
// included) items. It panics on a malformed literal: it is used only on the
// constants above, which the package tests load.
func dates(items ...string) []Date {
	var out []Date
	for _, item := range items {
		first, last := item, item
		if len(item) == 22 && item[10:12] == ".." {
			first, last = item[:10], item[12:]
		}
		a, errA := ParseDate(first)
		b, errB := ParseDate(last)
		if errA != nil || errB != nil || b.Before(a) {
			panic("calendar: bad date literal " + item)
		}
		for d := a; !d.After(b); d = d.AddDays(1) {
			out = append(out, d)
		}
	}
	return out
}
