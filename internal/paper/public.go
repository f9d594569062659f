package paper

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// Bureau is the office that publishes, signs and seals.
const Bureau = "昆明市人力资源和社会保障局"

// Listed is one brand on a published list.
type Listed struct {
	BrandName, UnitName, CountyCode, Category, BrandType string
	// On is the notice's period (公示, "2026-11-23至2026-11-27") or the
	// admission date (入库名单).
	On string
	// Status is the brand's status on the 入库名单 ("" on a 公示); a
	// suspended brand is marked, for it may not use the logo meanwhile.
	Status string
	// Imported is a brand admitted before the system, entered from the
	// bureau's old list: the list does not claim it passed 推荐、初审、
	// 复审和公示 here.
	Imported bool
}

// suspended is the status of a brand whose logo right is suspended
// (第十五条（三）; workflows.BrandStatusSuspended).
const suspended = "suspended"

// suspendedMark marks a suspended brand's name on the 入库名单; the note
// under the table says what it means.
const suspendedMark = "※"

// Notice is the 公示 of a round's brands (第十三条).
type Notice struct {
	RoundName  string
	Start, End string // the notice period, YYYY-MM-DD
	Brands     []Listed
	// ObjectionURL is where objections are filed online.
	ObjectionURL string
	// Counties names the brands' counties and functional zones; nil: the
	// 14 counties only.
	Counties CountyNames
	Printed  time.Time
	// Days is the notice's length and RulingDays the time to rule on an
	// objection, in working days, as the processes count them (第十三条:
	// 5 and 10 unless configured otherwise).
	Days, RulingDays int
}

// NoticePDF prints the 公示 notice: the list, the period, and how to object.
func (f *Fonts) NoticePDF(n Notice) ([]byte, error) {
	d := f.newDoc("昆明市市级劳务品牌入库名单公示", n.Printed)
	d.heading("昆明市市级劳务品牌入库名单公示", 16)
	if n.RoundName != "" {
		d.heading("（"+n.RoundName+"）", 12)
	}
	if len(n.Brands) == 0 { // nothing in 公示: no brand to announce, no objection to invite
		return nothingListed(d, n.RoundName != "", "目前没有处于公示期的劳务品牌。", "该批次目前没有处于公示期的劳务品牌。", n.Printed)
	}
	d.paragraph("　　根据《昆明市市级劳务品牌项目库入库工作方案（试行）》，经推荐、县（市、区）级人力资源和社会保障部门初审、"+
		"市级人力资源和社会保障部门复审，拟将以下劳务品牌纳入昆明市市级劳务品牌储备库，现予以公示。"+n.period(), false)
	d.paragraph("　　公示期间，任何单位或个人对名单有不同意见的，均可向市级人力资源和社会保障部门提出异议，并提供详实的书面举证材料"+
		objectionWhere(n.ObjectionURL)+"。市级人力资源和社会保障部门在接到异议后"+strconv.Itoa(cmp.Or(n.RulingDays, 10))+
		"个工作日内作出复核决定。", false)
	d.space(3)
	listTable(d, n.periodsShown(), n.Counties, "公示期")
	signOff(d, n.Printed)
	return d.bytes()
}

// period states the notice's period: its dates when every brand listed
// shares them, else its length and the table's dates (brands published on
// different days).
func (n Notice) period() string {
	days := strconv.Itoa(cmp.Or(n.Days, 5)) + "个工作日"
	for _, b := range n.Brands {
		if b.On != n.Brands[0].On {
			if n.withinOneYear() {
				return "公示期为" + days + "，各劳务品牌的公示起止日期见下表（均为" + n.Start[:4] + "年）。"
			}
			return "公示期为" + days + "，各劳务品牌的公示起止日期见下表。"
		}
	}
	return "公示期：" + dateCN(n.Start) + "至" + dateCN(n.End) + "（" + days + "）。"
}

// withinOneYear tells whether every period listed falls in the year the
// notice names, so that the table may leave the year out.
func (n Notice) withinOneYear() bool {
	return len(n.Start) >= 4 && len(n.End) >= 4 && n.Start[:4] == n.End[:4]
}

// periodsShown is the brands as the table shows them: each period
// ("2026-11-23至2026-11-27") without its year when the paragraph above
// names it, so that it stands on one line; with it when the notice runs
// into a new year, where "12-28至01-05" would leave the reader guessing.
func (n Notice) periodsShown() []Listed {
	if !n.withinOneYear() {
		return n.Brands
	}
	shown := make([]Listed, len(n.Brands))
	for i, b := range n.Brands {
		shown[i] = b
		if from, to, ok := strings.Cut(b.On, "至"); ok && len(from) == len("2006-01-02") && len(to) == len(from) {
			shown[i].On = from[5:] + "至" + to[5:]
		}
	}
	return shown
}

func objectionWhere(url string) string {
	if url == "" {
		return ""
	}
	return "（网上提出：" + url + "）"
}

// AdmittedList is the 入库名单 (第十四条): the brands in the library.
type AdmittedList struct {
	Title  string // e.g. the round's name; "" for the library as it stands
	Brands []Listed
	// Counties names the brands' counties and functional zones; nil: the
	// 14 counties only.
	Counties CountyNames
	Printed  time.Time
}

// AdmittedListPDF prints the 入库名单: a suspended brand marked, with a
// note that it may not use the logo meanwhile (第十五条（三）).
func (f *Fonts) AdmittedListPDF(l AdmittedList) ([]byte, error) {
	d := f.newDoc("昆明市市级劳务品牌入库名单", l.Printed)
	d.heading("昆明市市级劳务品牌入库名单", 16)
	if l.Title != "" {
		d.heading("（"+l.Title+"）", 12)
	}
	if len(l.Brands) == 0 { // a round still in review, or a library not yet begun: nothing to claim
		return nothingListed(d, l.Title != "", "项目库中目前没有劳务品牌。", "该批次目前没有入库的劳务品牌。", l.Printed)
	}
	anySuspended := countListed(l.Brands, func(b Listed) bool { return b.Status == suspended }) > 0
	d.paragraph("　　"+admittedHow(l.Brands)+logoRight(anySuspended), false)
	d.space(3)
	listTable(d, l.Brands, l.Counties, "入库日期")
	if anySuspended {
		d.space(2)
		d.size = 9
		d.paragraph("注：标"+suspendedMark+"的劳务品牌已被暂停劳务品牌标识使用权，暂停标识使用权期间不得使用劳务品牌标识（第十五条）。", false)
		d.size = bodySize
	}
	signOff(d, l.Printed)
	return d.bytes()
}

// admittedHow says how the listed brands came into the library. Only the
// brands admitted through this system went through 推荐、初审、复审和公示
// on its record; those entered from the old list are counted apart, so the
// list claims nothing the records do not show.
func admittedHow(brands []Listed) string {
	imported := countListed(brands, func(b Listed) bool { return b.Imported })
	switch {
	case imported == 0:
		return fmt.Sprintf("以下%d个劳务品牌经推荐、初审、复审和公示，纳入昆明市市级劳务品牌储备库（第十四条）。", len(brands))
	case imported == len(brands):
		return fmt.Sprintf("以下%d个劳务品牌已纳入昆明市市级劳务品牌储备库（第十四条），均为本系统启用前入库、按原入库名单录入。", len(brands))
	}
	return fmt.Sprintf("以下%d个劳务品牌已纳入昆明市市级劳务品牌储备库（第十四条），其中%d个为本系统启用前入库、按原入库名单录入。",
		len(brands), imported)
}

// logoRight is 第十四条's grant of the logo, less the brands whose right
// is suspended.
func logoRight(anySuspended bool) string {
	s := "获得入库的机构可以在其宣传介绍材料中，按照相关规定使用标准样式的劳务品牌标识"
	if anySuspended {
		s += "，名单中标" + suspendedMark + "的劳务品牌暂停标识使用权期间除外（见表后注）"
	}
	return s + "。"
}

func countListed(brands []Listed, is func(Listed) bool) int {
	n := 0
	for _, b := range brands {
		if is(b) {
			n++
		}
	}
	return n
}

func listTable(d *doc, brands []Listed, counties CountyNames, on string) {
	d.size = 9.5
	// The last column takes what is left (31 mm): a 公示期 such as
	// "11-23至11-27" on one line, as 申报类别's "区域公用" in its 18.
	d.tableHead(label(9, "序号"), label(28, "劳务品牌名称"), label(36, "实施单位（公司）"), label(28, "所在县（市、区）"),
		label(24, "所属类别"), label(18, "申报类别"), label(0, on))
	for i, b := range brands {
		d.row(cell{w: 9, text: strconv.Itoa(i + 1), center: true}, value(28, listedName(b)), value(36, b.UnitName),
			value(28, counties.Name(b.CountyCode)), value(24, form.Category(b.Category).Label()),
			value(18, shortType(b.BrandType)), cell{text: b.On, center: true})
	}
	d.endTable()
	d.size = bodySize
}

// listedName is the brand's name as the list prints it: marked when its
// logo right is suspended.
func listedName(b Listed) string {
	if b.Status == suspended {
		return b.BrandName + suspendedMark
	}
	return b.BrandName
}

func shortType(t string) string {
	switch form.BrandType(t) {
	case form.Regional:
		return "区域公用"
	case form.Enterprise:
		return "企业"
	}
	return ""
}

// signOff ends a public document with the bureau and the date, and room
// for its seal.
func signOff(d *doc, at time.Time) {
	d.space(10)
	d.room(3 * d.lineHeight())
	d.paragraph(Bureau, true)
	d.paragraph(day(at), true)
}

// Announcement is one published decision on a brand (第十五条（五）).
type Announcement struct {
	Number                                    int64
	Kind                                      string // suspension | renewal | restoration | removal
	BrandName, UnitName, CountyCode, Category string
	DecidedOn, EffectiveUntil, Summary        string
	// Counties names the brand's county or functional zone; nil: the 14
	// counties only.
	Counties    CountyNames
	PublishedAt time.Time
}

var announcementTitles = map[string]string{
	"suspension":  "关于暂停“%s”劳务品牌标识使用权的公告",
	"renewal":     "关于再次暂停“%s”劳务品牌标识使用权的公告",
	"restoration": "关于恢复“%s”劳务品牌标识使用权的公告",
	"removal":     "关于将“%s”移出昆明市市级劳务品牌目录的公告",
}

// untilLabels name what an announcement's end date is the end of: a
// suspension's last day, or the last day a removed brand may not apply
// again (第十五条（四）: 五年内不得再次申请). Neither is a validity.
var untilLabels = map[string]string{
	"suspension": "暂停期限至",
	"renewal":    "暂停期限至",
	"removal":    "不得再次申请至",
}

// UntilLabel is the label of an announcement's end date for kind, "" when
// it has none.
func UntilLabel(kind string) string { return untilLabels[kind] }

// AnnouncementPDF prints one published decision.
func (f *Fonts) AnnouncementPDF(a Announcement) ([]byte, error) {
	title := fmt.Sprintf(announcementTitles[a.Kind], a.BrandName)
	if _, ok := announcementTitles[a.Kind]; !ok {
		title = "关于“" + a.BrandName + "”劳务品牌的公告"
	}
	d := f.newDoc(title, a.PublishedAt)
	d.heading(title, 15)
	d.size = 9
	d.paragraph(fmt.Sprintf("公告编号：%d", a.Number), true)
	d.size = bodySize
	d.space(2)
	intro, dateLabel := "　　根据《昆明市市级劳务品牌项目库入库工作方案（试行）》第十五条，"+Bureau+"于"+dateCN(a.DecidedOn)+
		"对下列劳务品牌作出决定，现予公布：", "决定日期"
	if a.Kind == "restoration" {
		// No one decides it: the suspension's year is over and the right
		// returns by itself (RULES §4), the day after its last day.
		intro, dateLabel = "　　根据《昆明市市级劳务品牌项目库入库工作方案（试行）》第十五条，下列劳务品牌暂停标识使用权的期限已届满，自"+
			dateCN(a.DecidedOn)+"起恢复劳务品牌标识使用权，现予公布：", "恢复日期"
	}
	d.paragraph(intro, false)
	d.space(2)
	d.row(label(40, "劳务品牌名称"), value(0, a.BrandName))
	d.row(label(40, "实施单位（公司）"), value(0, a.UnitName))
	d.row(label(40, "所在县（市、区）"), value(0, a.Counties.Name(a.CountyCode)))
	d.row(label(40, "所属类别"), value(0, form.Category(a.Category).Label()))
	d.row(label(40, dateLabel), value(0, dateCN(a.DecidedOn)))
	if l := untilLabels[a.Kind]; l != "" && a.EffectiveUntil != "" {
		d.row(label(40, l), value(0, dateCN(a.EffectiveUntil)))
	}
	d.row(label(40, "决定内容"), value(0, DatesCN(a.Summary)))
	signOff(d, a.PublishedAt)
	return d.bytes()
}

// isoDate is a date as the records write it.
var isoDate = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// DatesCN writes every YYYY-MM-DD in text as 2026年1月2日, as the printed
// page dates everything else (a decision's summary is written as the
// records date it).
func DatesCN(text string) string {
	return isoDate.ReplaceAllStringFunc(text, dateCN)
}

// dateCN writes YYYY-MM-DD as 2026年1月2日; anything else as it is.
func dateCN(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2006年1月2日")
}

// nothingListed ends a published list that lists no brand: it says so —
// of them all, or of the round it names — above the bureau's sign-off.
func nothingListed(d *doc, ofRound bool, none, noneInRound string, printed time.Time) ([]byte, error) {
	what := none
	if ofRound {
		what = noneInRound
	}
	d.paragraph("　　"+what, false)
	signOff(d, printed)
	return d.bytes()
}
