package demo

// Brand is a brand admitted before the system, at one point of its life
// (RULES §4): the demo starts its process with an imported BrandInput whose
// admission lies in an earlier year, then takes it to Point through the API
// as the county and the city would.
type Brand struct {
	ID, Name, UnitName, USCC, Type, Category, County string
	// AdmittedMonthsAgo dates the admission back from the business day the
	// demo runs on; AdmittedDaysAgo adds days to it.
	AdmittedMonthsAgo, AdmittedDaysAgo int
	Point                              string
}

// The points of a brand's life the demo shows.
const (
	PointActive        = "active"              // in good standing
	PointEvaluation    = "evaluation"          // the biennial window has opened: the report is due
	PointLevel1        = "level1"              // a one-month rectification order
	PointLevel2        = "level2"              // interviewed, three months to rectify
	PointSuspensionDue = "suspension_proposed" // a suspension waits for the city's decision
	PointSuspended     = "suspended"           // the logo right suspended for a year
	PointRemoved       = "removed"             // removed from the catalog
	// PointOverdue is a brand whose own deadlines lapsed before the system
	// knew it: the evaluation report missed (level 1 by itself), the month
	// to rectify lapsed (level 2 by itself), and the county's interview now
	// overdue, escalated to the supervisor and the city.
	PointOverdue = "overdue"
)

// Brands are the demo's admitted brands, across eight counties. Each
// was admitted between one and two years before the demo's day, so that
// no evaluation lapsed before the system knew it — but for the one whose
// window has just opened, and the one whose lapses the process takes by
// itself when it starts (PointOverdue).
func Brands() []Brand {
	return []Brand{
		{ID: "BDEMOKM000001", Name: "晋宁花木工", UnitName: "昆明市晋宁区花木产业协会", USCC: USCC("5153011500000011"),
			Type: "regional", Category: "planting_breeding", County: "530115", AdmittedMonthsAgo: 14, Point: PointActive},
		{ID: "BDEMOKM000002", Name: "嵩明蔬菜把式", UnitName: "嵩明县蔬菜产业协会", USCC: USCC("5153012700000012"),
			Type: "regional", Category: "planting_breeding", County: "530127", AdmittedMonthsAgo: 24, AdmittedDaysAgo: 3, Point: PointEvaluation},
		{ID: "BDEMOKM000003", Name: "五华家政管家", UnitName: "昆明五华家政服务有限公司", USCC: USCC("9153010200000013"),
			Type: "enterprise", Category: "resident_services", County: "530102", AdmittedMonthsAgo: 16, Point: PointLevel1},
		{ID: "BDEMOKM000004", Name: "西山建筑工匠", UnitName: "昆明西山建筑劳务有限公司", USCC: USCC("9153011200000014"),
			Type: "enterprise", Category: "construction", County: "530112", AdmittedMonthsAgo: 18, Point: PointLevel2},
		{ID: "BDEMOKM000005", Name: "禄劝苗绣娘", UnitName: "禄劝彝族苗族自治县苗绣协会", USCC: USCC("5153012800000015"),
			Type: "regional", Category: "culture_tourism_crafts", County: "530128", AdmittedMonthsAgo: 20, Point: PointSuspensionDue},
		{ID: "BDEMOKM000006", Name: "富民樱桃农", UnitName: "富民县樱桃种植协会", USCC: USCC("5153012400000016"),
			Type: "regional", Category: "planting_breeding", County: "530124", AdmittedMonthsAgo: 22, Point: PointSuspended},
		{ID: "BDEMOKM000007", Name: "官渡汽修技师", UnitName: "昆明官渡汽车维修服务有限公司", USCC: USCC("9153011100000017"),
			Type: "enterprise", Category: "manufacturing", County: "530111", AdmittedMonthsAgo: 15, Point: PointRemoved},
		{ID: "BDEMOKM000008", Name: "寻甸牛肉干师傅", UnitName: "寻甸回族彝族自治县清真食品协会", USCC: USCC("5153012900000018"),
			Type: "regional", Category: "manufacturing", County: "530129", AdmittedMonthsAgo: 27, AdmittedDaysAgo: 15, Point: PointOverdue},
	}
}
