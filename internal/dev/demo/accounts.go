package demo

// Account is a console account `dev --demo` creates, with its known dev
// password (listed on the dev login page only).
type Account struct {
	Username, Password, Role, County, USCC, ExpertID, Note string
}

// Accounts are one console account per role: the county officer of 东川区
// (whose 东川面条工匠 waits for its 初审), the city task force, an expert of
// the pool, a supervisor, an administrator, and the holder of 安宁玫瑰.
func Accounts() []Account {
	return []Account{
		{Username: "dongchuan", Password: "Demo-County-2026", Role: "county_officer", County: "530113", Note: "东川区：东川面条工匠待初审"},
		{Username: "city", Password: "Demo-City-2026", Role: "city_officer", Note: "市级工作专班"},
		{Username: "expert01", Password: "Demo-Expert-2026", Role: "expert", ExpertID: "EXP01", Note: "专家库 EXP01 杨建华"},
		{Username: "supervisor", Password: "Demo-Super-2026", Role: "supervisor", Note: "只读"},
		{Username: "admin", Password: "Demo-Admin-2026", Role: "admin", Note: "账户与日历"},
		{Username: "rose", Password: "Demo-Holder-2026", Role: "applicant", USCC: "51530181MJ0000001U", Note: "安宁玫瑰的持有单位"},
	}
}
