package demo

// InFlight is an application the bureau was handling when its library moved
// onto the system (RULES §3 Decision — applications in flight). The demo
// brings it over at Stage, begun SinceWorkdays working days before the
// demo's day, and its process takes it from there by the business calendar:
// that is how the demo shows, in seconds, the stages that follow the
// notice's or a return's end without waiting a week of business time.
type InFlight struct {
	Form  Form
	Stage string // public_notice or returned
	// SinceWorkdays dates the stage's beginning back from the demo's day;
	// SubmittedWorkdays dates the submission.
	SinceWorkdays, SubmittedWorkdays int
	// ObjectionWorkdays, when not 0, is an objection received (and
	// postmarked) that many working days after the notice's publication, not
	// yet ruled.
	ObjectionWorkdays int
	// Reaches is the stage the process reaches by itself.
	Reaches string
}

// PreSystemRound is the round the applications in flight were submitted in,
// before the system: open from PreSystemOpensDaysAgo to
// PreSystemClosesDaysAgo days before the demo's day — closed, so that the
// demo's own round is the one open.
const (
	PreSystemRound         = "上线前批次（原系统受理）"
	PreSystemOpensDaysAgo  = 180
	PreSystemClosesDaysAgo = 90
)

// submittedWorkdays dates the submissions in flight: more than 90 and less
// than 180 calendar days back, whatever the holidays.
const submittedWorkdays = 70

// InFlights are the demo's applications in flight: a notice that ended with
// an objection unruled (objection_review), a notice that ended without one
// (admitted: its brand's process starts), and a return whose 20 working
// days have run out (withdrawn).
func InFlights() []InFlight {
	rose := Rose()
	return []InFlight{
		{Form: rose.With("brand_name", "呈贡宝珠梨果农", "county_code", "530114", "unit_name", "昆明市呈贡区宝珠梨产业协会",
			"uscc", USCC("5153011400000021"), "industry_association", "昆明市呈贡区宝珠梨产业协会",
			"contact_name", "王梨", "contact_phone", "13577002233"),
			// Published 8 working days ago: its 5 days ended 4 working days ago;
			// an objection received on day 3 waits for its ruling.
			Stage: "public_notice", SinceWorkdays: 8, SubmittedWorkdays: submittedWorkdays, ObjectionWorkdays: 2, Reaches: "objection_review"},
		{Form: Embroidery().With("brand_name", "官渡饵块师傅", "category", "accommodation_catering", "county_code", "530111",
			"unit_name", "昆明官渡饵块餐饮管理有限公司", "uscc", USCC("9153011100000022"), "intangible_heritage", false,
			"trainees_two_years", 820, "contact_name", "赵师傅", "contact_phone", "0871-67123456"),
			Stage: "public_notice", SinceWorkdays: 9, SubmittedWorkdays: submittedWorkdays, Reaches: "admitted"},
		{Form: Embroidery().With("brand_name", "晋宁陶艺工匠", "county_code", "530115",
			"unit_name", "昆明晋宁古滇陶艺有限公司", "uscc", USCC("9153011500000023"), "intangible_heritage", false,
			"trainees_two_years", 640, "contact_name", "陶师傅", "contact_phone", "0871-67889900"),
			// Returned 23 working days ago: the 20-day wait ran out 3 ago.
			Stage: "returned", SinceWorkdays: 23, SubmittedWorkdays: submittedWorkdays, Reaches: "withdrawn"},
	}
}
