package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/brandimport"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// importSheet uploads rows as the bureau's sheet.
func importSheet(t *testing.T, s *stacktest.Stack, token string, dryRun bool, rows []brandimport.Row) (int, importAnswer) {
	t.Helper()
	var sheet bytes.Buffer
	if err := brandimport.WriteSheet(&sheet, rows); err != nil {
		t.Fatal(err)
	}
	return uploadSheet(t, s, token, dryRun, sheet.Bytes())
}

func uploadSheet(t *testing.T, s *stacktest.Stack, token string, dryRun bool, sheet []byte) (int, importAnswer) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "品牌库.xlsx")
	fw.Write(sheet)
	mw.Close()
	// A client of its own: a large import may take longer than the stack's
	// client waits.
	req, _ := http.NewRequestWithContext(t.Context(), "POST", fmt.Sprintf("%s/api/v1/brands/import?dry_run=%v", s.URL, dryRun), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a importAnswer
	if resp.StatusCode == 200 {
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Logf("import: %d %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, a
}

type importAnswer struct {
	Rows, Valid, Imported, Already, Recorded int
	Errors                                   []brandimport.Problem
	Seconds                                  struct{ Check, Start, Record float64 }
	Brands                                   []struct {
		Row                    int
		BrandID, Name, Outcome string
	} `json:"brands"`
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// runTag is three USCC characters unique to this run of a test: the test
// binary's stack keeps brands and their processes across tests, and an
// imported brand's id derives from its USCC and name.
func runTag(t *testing.T) string {
	sum := sha256.Sum256([]byte(t.Name() + time.Now().String()))
	b := make([]byte, 3)
	for i := range b {
		b[i] = uscc.Alphabet[int(sum[i])%len(uscc.Alphabet)]
	}
	return string(b)
}

// importedBrands are three brands of the bureau's old list: one in good
// standing, one under a level-1 order due 2026-12-21, one suspended until
// 2027-05-31.
func importedBrands(tag string) []brandimport.Row {
	return []brandimport.Row{
		{Name: "富民樱桃种植" + tag, UnitName: "富民县樱桃协会", USCC: demo.USCC("91530124MA6N" + tag + "1"), BrandType: "regional",
			Category: "planting_breeding", CountyCode: "530124", AdmittedOn: date("2023-05-10")},
		{Name: "安宁温泉康养" + tag, UnitName: "安宁温泉酒店管理有限公司", USCC: demo.USCC("91530181MA6N" + tag + "2"), BrandType: "enterprise",
			Category: "resident_services", CountyCode: "530181", AdmittedOn: date("2024-03-01"),
			Rectification: &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: date("2026-11-20"), Due: date("2026-12-21")}},
		{Name: "石林撒尼刺绣" + tag, UnitName: "石林撒尼刺绣合作社", USCC: demo.USCC("91530126MA6N" + tag + "3"), BrandType: "regional",
			Category: "culture_tourism_crafts", CountyCode: "530126", AdmittedOn: date("2022-09-15"),
			Suspension: &workflows.Suspension{StartedOn: date("2026-06-01"), Until: date("2027-05-31")}, SuspensionCount: 1},
	}
}

// Issue 14 (Excel in): the sheet's brands enter the library each at its
// point of life, with its own process; the same sheet again changes nothing.
func TestDecision_Import_BrandsStartAtTheirStandingAndTwiceIsOnce(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1)})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	rows := importedBrands(runTag(t))

	status, dry := importSheet(t, s, city, true, rows)
	if status != 200 || dry.Rows != 3 || dry.Valid != 3 || dry.Imported != 0 || len(dry.Errors) != 0 {
		t.Fatalf("dry run: %d %+v", status, dry)
	}
	if on, _ := s.Store.BrandsOnRecord(t.Context(), []string{rows[0].ID()}); len(on) != 0 {
		t.Fatal("a dry run wrote a brand")
	}
	status, first := importSheet(t, s, city, false, rows)
	if status != 200 || first.Imported != 3 || first.Recorded != 3 || len(first.Errors) != 0 {
		t.Fatalf("import: %d %+v", status, first)
	}

	view := func(r brandimport.Row) map[string]any {
		return expect(t, s.Do("GET", "/api/v1/brands/"+r.ID(), city, nil), 200, "brand "+r.Name)
	}
	if v := view(rows[0]); v["status"] != "active" || v["admitted_on"] != "2023-05-10" || v["next_evaluation_due"] == nil {
		t.Errorf("active brand: %v", v)
	}
	// The level-1 order keeps its own due day, and its deadline is a task.
	v := view(rows[1])
	rect, _ := v["rectification"].(map[string]any)
	if v["status"] != "rectifying" || rect == nil || rect["level"] != 1.0 || rect["reason"] != "logo_misuse" ||
		rect["due"] != "2026-12-21" || rect["ordered_on"] != "2026-11-20" {
		t.Errorf("rectifying brand: %v", v)
	}
	anning := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	if _, ok := taskKinds(t, s.Do("GET", "/api/v1/tasks", anning, nil))["rectification@"+rows[1].ID()]; !ok {
		t.Error("安宁's queue lacks the imported rectification")
	}
	// The suspension runs to its own last day; the renewal is the city's to decide.
	v = view(rows[2])
	susp, _ := v["suspension"].(map[string]any)
	pending, _ := v["pending_decision"].(map[string]any)
	if v["status"] != "suspended" || susp == nil || susp["until"] != "2027-05-31" || v["suspension_count"] != 1.0 ||
		pending == nil || pending["kind"] != "suspension_renewal" {
		t.Errorf("suspended brand: %v", v)
	}
	// The imported brand lives on like any other: the county confirms the rectification.
	expect(t, s.Do("POST", "/api/v1/brands/"+rows[1].ID()+"/rectification/confirm", anning, map[string]any{"note": "已整改"}), 200, "confirm")

	status, again := importSheet(t, s, city, false, rows)
	if status != 200 || again.Imported != 0 || again.Already != 3 || len(again.Errors) != 0 {
		t.Fatalf("second import: %d %+v", status, again)
	}
	if v := view(rows[1]); v["status"] != "active" {
		t.Errorf("the second import changed a brand: %v", v)
	}
	if audit, err := s.Store.AuditFor(t.Context(), "brand", rows[0].ID()); err != nil || len(audit) != 1 {
		t.Errorf("brand audit after two imports: %d rows, %v", len(audit), err)
	}
}

// Issue 14: the import is checked as a submission is — the name key, one
// brand per holder, the ban list of removals (RULES §3: by name or by
// USCC, five years) — and within the sheet; only admin and the city import.
func TestDecision_Import_LibraryChecksByRowAndColumn(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1)})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	tag := runTag(t)
	rows := importedBrands(tag)
	if st, a := importSheet(t, s, city, false, rows[:1]); st != 200 || a.Imported != 1 || a.Recorded != 1 {
		t.Fatalf("seed: %d %+v", st, a)
	}
	// A brand removed in 2025: its name and its holder are banned until 2030.
	bannedUSCC := demo.USCC("91530125MA6N" + tag + "4")
	if _, err := s.Store.Pool().Exec(t.Context(), `INSERT INTO bans (brand_name, name_key, uscc, decided_on, until, reason)
		VALUES ($1, $2, $3, '2025-01-06', '2030-01-06', 'removal')`, "宜良BAN烤鸭"+tag, namekey.Key("宜良BAN烤鸭"+tag), bannedUSCC); err != nil {
		t.Fatal(err)
	}
	// A holder whose application is being decided: imported now, it would
	// have two brands once admitted (RULES §3: one brand per holder).
	applyingUSCC := demo.USCC("91530181MA6N" + tag + "6")
	if r := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第二批" + tag, "opens_on": "2026-11-01", "closes_on": "2026-12-31"}); r.Status != 201 {
		t.Fatalf("round: %d %s", r.Status, r.Body)
	}
	applying := stacktest.Token(t, auth.Principal{Sub: "applying", Role: auth.Applicant, USCC: applyingUSCC})
	if r := s.Do("POST", "/api/v1/applications", applying, demo.Rose().With("uscc", applyingUSCC, "brand_name", "安宁申报中"+tag)); r.Status != 201 {
		t.Fatalf("application: %d %s", r.Status, r.Body)
	}
	clash := []brandimport.Row{
		{Name: strings.Replace(rows[0].Name, "樱桃", "　樱桃", 1), UnitName: "另一家协会", USCC: demo.USCC("91530124MA6N" + tag + "9"), BrandType: "regional",
			Category: "planting_breeding", CountyCode: "530124", AdmittedOn: date("2024-01-01")}, // the same name by its key
		{Name: "富民樱桃深加工" + tag, UnitName: "富民县樱桃协会", USCC: rows[0].USCC, BrandType: "enterprise",
			Category: "manufacturing", CountyCode: "530124", AdmittedOn: date("2024-01-01")}, // the holder has a brand
		rows[1], rows[1], // twice in the sheet
		{Name: "宜良ＢＡＮ烤鸭" + tag, UnitName: "宜良另一家公司", USCC: demo.USCC("91530125MA6N" + tag + "5"), BrandType: "enterprise",
			Category: "accommodation_catering", CountyCode: "530125", AdmittedOn: date("2024-01-01")}, // the removed brand's name
		{Name: "宜良新烤鸭" + tag, UnitName: "宜良烤鸭有限公司", USCC: bannedUSCC, BrandType: "enterprise",
			Category: "accommodation_catering", CountyCode: "530125", AdmittedOn: date("2024-01-01")}, // the removed brand's holder
		{Name: "安宁另一品牌" + tag, UnitName: "安宁申报单位", USCC: applyingUSCC, BrandType: "regional",
			Category: "planting_breeding", CountyCode: "530181", AdmittedOn: date("2024-01-01")}, // the holder is applying
	}
	st, a := importSheet(t, s, city, true, clash)
	if st != 200 || a.Rows != 7 || a.Valid != 1 {
		t.Fatalf("dry run: %d %+v", st, a)
	}
	want := map[string]bool{"2 品牌名称 A2": true, "3 统一社会信用代码 C3": true, "5 品牌名称 A5": true, "5 统一社会信用代码 C5": true,
		"6 品牌名称 A6": true, "7 统一社会信用代码 C7": true, "8 统一社会信用代码 C8": true}
	for _, p := range a.Errors {
		key := fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Cell)
		if !want[key] {
			t.Errorf("unexpected problem %+v", p)
		}
		delete(want, key)
	}
	if len(want) > 0 {
		t.Errorf("problems missing: %v (got %+v)", want, a.Errors)
	}
	// One import at a time: two sheets checked at once could each find a
	// holder free. Another import waits; a dry run does not.
	release, ok, err := s.Store.LockImport(t.Context())
	if err != nil || !ok {
		t.Fatalf("the import's lock: %v %v", ok, err)
	}
	if st, _ := importSheet(t, s, city, false, clash[len(clash)-2:len(clash)-1]); st != 409 {
		t.Errorf("an import while another runs: %d, want 409", st)
	}
	if st, _ := importSheet(t, s, city, true, clash[:1]); st != 200 {
		t.Errorf("a dry run while an import runs: %d, want 200", st)
	}
	// Nor is a holder's submission stored while an import checks and
	// writes the library: between the import's check and its record it
	// could give one holder two brands (RULES §3). It is refused as
	// unavailable, nothing written, and the same request sent again after
	// the import is stored.
	lateUSCC := demo.USCC("91530181MA6N" + tag + "7")
	late := stacktest.Token(t, auth.Principal{Sub: "late", Role: auth.Applicant, USCC: lateUSCC})
	lateForm := demo.Rose().With("uscc", lateUSCC, "brand_name", "安宁导入时申报"+tag)
	refused := s.Do("POST", "/api/v1/applications", late, lateForm, "Idempotency-Key", "late-1")
	if e := errorOf(t, refused, 503, "a submission during an import"); !strings.Contains(e["message"].(string), "正在导入") ||
		refused.Header.Get("Retry-After") != "60" {
		t.Errorf("the refusal does not say why or when to retry: %v (Retry-After %q)", e, refused.Header.Get("Retry-After"))
	}
	if app, err := s.Store.HolderOpenApplication(t.Context(), lateUSCC); err != nil || app != "" {
		t.Errorf("a submission refused during an import was stored: %q %v", app, err)
	}
	// Given back: another session takes it (the same session would take
	// its own lock again, given back or not).
	release()
	other, err := pgx.Connect(t.Context(), s.Store.Pool().Config().ConnConfig.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(t.Context())
	var taken bool
	if err := other.QueryRow(t.Context(), `SELECT pg_try_advisory_lock($1)`, int64(0x6c62696d706f7274)).Scan(&taken); err != nil || !taken {
		t.Errorf("the lock is not given back: %v %v", taken, err)
	}
	expect(t, s.Do("POST", "/api/v1/applications", late, lateForm, "Idempotency-Key", "late-1"), 201, "the submission sent again after the import")
	county := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	if st, _ := importSheet(t, s, county, true, rows); st != 403 {
		t.Errorf("a county officer imports: %d", st)
	}
	if st, _ := uploadSheet(t, s, city, true, []byte("name,uscc\n")); st != 422 {
		t.Errorf("a CSV upload: %d, want 422", st)
	}
	// Hostile input: one value in the last column (XFD) would make every
	// row 16,384 cells wide; the sheet is refused, saying where it is.
	wide := excelize.NewFile()
	wide.SetSheetName("Sheet1", brandimport.SheetName)
	wide.SetCellValue(brandimport.SheetName, "A1", brandimport.ColName)
	wide.SetCellValue(brandimport.SheetName, "XFD1", "x")
	var wideSheet bytes.Buffer
	if err := wide.Write(&wideSheet); err != nil {
		t.Fatal(err)
	}
	if st, _ := uploadSheet(t, s, city, true, wideSheet.Bytes()); st != 422 {
		t.Errorf("a header 16,384 columns wide: %d, want 422", st)
	}
	tpl := s.Do("GET", "/api/v1/brands/import-template.xlsx", city, nil)
	if tpl.Status != 200 || !strings.HasPrefix(tpl.Header.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Fatalf("template: %d %s", tpl.Status, tpl.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, _ := f.GetRows(brandimport.SheetName)
	if len(head) == 0 || head[0][0] != brandimport.ColName || head[0][2] != brandimport.ColUSCC || head[0][5] != brandimport.ColCounty {
		t.Errorf("template header %v", head)
	}
	dvs, _ := f.GetDataValidations(brandimport.SheetName)
	lists := 0
	for _, dv := range dvs {
		if dv.Type == "list" {
			lists++
		}
	}
	if lists < 6 { // type, category, county, status, level, reason
		t.Errorf("template has %d drop-downs", lists)
	}
	comments, _ := f.GetComments(brandimport.SheetName)
	if len(comments) < 10 {
		t.Errorf("template has %d header notes", len(comments))
	}
}

// workbook opens an exported workbook's only sheet.
func workbook(t *testing.T, r stacktest.Response, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body[:min(len(r.Body), 300)])
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	panes, _ := f.GetPanes(sheet)
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: header row not frozen: %+v", sheet, panes)
	}
	return f, rows
}

// dateCell checks that a cell holds a real Excel date showing want.
func dateCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	serial, err := excelize.ExcelDateToTime(parseFloat(raw), false)
	if err != nil || serial.Format(time.DateOnly) != want {
		t.Errorf("%s!%s = %q (%v), want the date %s as a serial number", sheet, cell, raw, err, want)
	}
	shown, _ := f.GetCellValue(sheet, cell)
	if shown != want {
		t.Errorf("%s!%s shows %q, want %s", sheet, cell, shown, want)
	}
}

func parseFloat(s string) float64 {
	var f float64
	fmt.Sscanf(s, "%g", &f)
	return f
}

// Issue 14 (Excel out), RULES §6: each list is exported with its filters
// and access, Chinese headers and labels, real dates and a frozen header,
// and every export is in the audit trail.
func TestDecision_Export_ListsAsWorkbooksAudited(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1)})
	a := tokens(t)
	if st, r := importSheet(t, s, a.city, false, importedBrands(runTag(t))); st != 200 || r.Recorded != 3 {
		t.Fatalf("seed brands: %d %+v", st, r)
	}
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2026年第二批", "opens_on": "2026-11-01", "closes_on": "2026-12-31"}), 201, "round")
	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")

	// Brands: the city, only the rectifying ones whose name has 温泉.
	f, rows := workbook(t, s.Do("GET", "/api/v1/brands.xlsx?status=rectifying&name="+url.QueryEscape("温泉"), a.city, nil), "劳务品牌")
	if len(rows) < 2 || rows[0][0] != "品牌编号" || rows[0][1] != "品牌名称" || rows[0][7] != "入库日期" {
		t.Fatalf("brands sheet: %v", rows)
	}
	b := rows[1]
	if !strings.HasPrefix(b[1], "安宁温泉康养") || b[4] != "企业劳务品牌" || b[5] != "居民服务类" || b[6] != "安宁市" || b[8] != "整改中" || b[9] != "1级" {
		t.Errorf("brand row %v", b)
	}
	dateCell(t, f, "劳务品牌", "H2", "2024-03-01")
	dateCell(t, f, "劳务品牌", "K2", "2026-12-21")
	// A county officer: its county's brands only; another county's filter is refused as in the list.
	_, rows = workbook(t, s.Do("GET", "/api/v1/brands.xlsx", a.anning, nil), "劳务品牌")
	if len(rows) != 2 || rows[1][6] != "安宁市" {
		t.Errorf("安宁's export: %v", rows)
	}
	expect(t, s.Do("GET", "/api/v1/brands.xlsx?county=530102", a.anning, nil), 403, "another county")
	expect(t, s.Do("GET", "/api/v1/brands.xlsx?status=closed", a.city, nil), 422, "bad filter")

	// Applications, with stage and deadline.
	f, rows = workbook(t, s.Do("GET", "/api/v1/applications.xlsx?stage=county_review", a.city, nil), "申请")
	if len(rows) != 2 || rows[1][0] != app["id"] || rows[1][7] != "县级初审" || rows[1][9] != "初审办理期限" || rows[1][11] != "否" {
		t.Fatalf("applications sheet: %v", rows)
	}
	if rows[1][6] != "2026年第二批" { // API.md exports: Chinese names for codes, the round's too
		t.Errorf("申报批次 reads %q, want the round's name", rows[1][6])
	}
	dateCell(t, f, "申请", "K2", "2026-12-28")
	_, rows = workbook(t, s.Do("GET", "/api/v1/applications.xlsx", a.wuhua, nil), "申请")
	if len(rows) != 1 {
		t.Errorf("五华 sees another county's applications: %v", rows)
	}

	// Tasks: 安宁's queue, the 初审 and the imported rectification.
	f, rows = workbook(t, s.Do("GET", "/api/v1/tasks.xlsx", a.anning, nil), "待办")
	kinds := map[string]bool{}
	for _, r := range rows[1:] {
		kinds[r[0]] = true
	}
	if !kinds["初审办理期限"] || !kinds["整改期限"] || rows[0][6] != "期限" {
		t.Errorf("tasks sheet: %v", rows)
	}
	workbook(t, s.Do("GET", "/api/v1/tasks.xlsx?stage=rectifying", a.anning, nil), "待办")

	for _, name := range []string{"brands.xlsx", "applications.xlsx", "tasks.xlsx"} {
		audit, err := s.Store.AuditFor(t.Context(), "export", name)
		if err != nil || len(audit) == 0 {
			t.Errorf("%s: no audit row (%v)", name, err)
			continue
		}
		var after struct {
			Rows    int
			Filters map[string]string
		}
		json.Unmarshal(audit[0].After, &after)
		if audit[0].Action != "export."+strings.TrimSuffix(name, ".xlsx") || audit[0].Actor == "" {
			t.Errorf("%s audit %+v", name, audit[0])
		}
		// RULES §6: every filter the list applied is in the audit.
		if name == "brands.xlsx" && (after.Rows != 1 || after.Filters["status"] != "rectifying" || after.Filters["name"] != "温泉") {
			t.Errorf("brands export audit %s", audit[0].After)
		}
		var last struct{ Filters map[string]string }
		json.Unmarshal(audit[len(audit)-1].After, &last)
		if name == "tasks.xlsx" && (len(audit) != 2 || last.Filters["stage"] != "rectifying" || last.Filters["county"] != "530181") {
			t.Errorf("tasks export audit %s", audit[len(audit)-1].After)
		}
	}
}

// thousandRows is a sheet of n brands over the 14 counties: every tenth
// under a level-1 order, every 25th suspended, the rest in good standing.
func thousandRows(tag string, n int, today calendar.Date) []brandimport.Row {
	codes := []string{"530102", "530103", "530111", "530112", "530113", "530114", "530115", "530124", "530125",
		"530126", "530127", "530128", "530129", "530181"}
	rows := make([]brandimport.Row, n)
	for i := range rows {
		county := codes[i%len(codes)]
		r := brandimport.Row{Name: fmt.Sprintf("导入规模品牌%s%d", tag, i+1), UnitName: fmt.Sprintf("导入规模协会%s%d", tag, i+1),
			USCC: demo.USCC(fmt.Sprintf("9153%s%s%05d", county[2:], tag, i+1)), BrandType: "regional", Category: "planting_breeding",
			CountyCode: county, AdmittedOn: today.AddDays(-30 - i%900)}
		switch {
		case i%25 == 24:
			r.Suspension, r.SuspensionCount = &workflows.Suspension{StartedOn: today.AddDays(-40), Until: today.AddDays(300)}, 1
		case i%10 == 9:
			r.Rectification = &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: today.AddDays(-3), Due: today.AddDays(27)}
		}
		rows[i] = r
	}
	return rows
}

// Issue 14: 1,000 rows import in under a minute — measured, not asserted
// (docs/PERFORMANCE.md has the figures): the dry run, the import (every
// process started and its record written) and a second upload of the same
// sheet.
func TestImport_ThousandRowsTimed(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1), Timeout: 30 * time.Second})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	rows := thousandRows(runTag(t), 1000, date("2026-11-30"))
	var sheet bytes.Buffer
	if err := brandimport.WriteSheet(&sheet, rows); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	st, dry := uploadSheet(t, s, city, true, sheet.Bytes())
	dryTook := time.Since(t0)
	if st != 200 || dry.Valid != 1000 || len(dry.Errors) != 0 {
		t.Fatalf("dry run: %d valid %d, errors %v", st, dry.Valid, dry.Errors[:min(len(dry.Errors), 5)])
	}
	t1 := time.Now()
	st, res := uploadSheet(t, s, city, false, sheet.Bytes())
	took := time.Since(t1)
	if st != 200 || res.Imported != 1000 {
		t.Fatalf("import: %d imported %d, errors %v", st, res.Imported, res.Errors[:min(len(res.Errors), 5)])
	}
	// Every record written: the answer waits for them, at most a minute.
	for deadline := time.Now().Add(2 * time.Minute); res.Recorded < 1000 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID()
		}
		on, _ := s.Store.BrandsBegun(t.Context(), ids)
		res.Recorded = len(on)
	}
	if res.Recorded < 1000 {
		t.Fatalf("%d of 1000 brands recorded their admission two minutes after the upload", res.Recorded)
	}
	settled := time.Since(t1)
	t2 := time.Now()
	st, again := uploadSheet(t, s, city, false, sheet.Bytes())
	againTook := time.Since(t2)
	if st != 200 || again.Imported != 0 || again.Already != 1000 {
		t.Errorf("second upload: %d imported %d already %d", st, again.Imported, again.Already)
	}
	var rectifying int
	for _, r := range rows {
		if r.Rectification != nil {
			rectifying++
		}
	}
	f, rowsOut := workbook(t, s.Do("GET", "/api/v1/brands.xlsx?status=rectifying", city, nil), "劳务品牌")
	f.Close()
	if len(rowsOut)-1 != rectifying {
		t.Errorf("export of the rectifying brands: %d rows, want %d", len(rowsOut)-1, rectifying)
	}
	t3 := time.Now()
	r := s.Do("GET", "/api/v1/brands.xlsx", city, nil)
	exportTook := time.Since(t3)
	t.Logf("import parts: check %.1f s, start %.1f s (of which starting), records %.1f s", res.Seconds.Check, res.Seconds.Start, res.Seconds.Record)
	t.Logf("1,000 rows (%d bytes): dry run %s; import answered in %s (%d started, %d recorded), all records after %s; "+
		"same sheet again %s (%d already); export of 1,000 brands %s (%d bytes)",
		sheet.Len(), dryTook.Round(time.Millisecond), took.Round(time.Millisecond), res.Imported, res.Recorded,
		settled.Round(time.Millisecond), againTook.Round(time.Millisecond), again.Already, exportTook.Round(time.Millisecond), len(r.Body))
}

// RULES §1 Decision: a brand of a functional zone brought over by the
// import is looked after by the bureau the zone is pointed at, as an
// admitted one is: its officers read it and act on it, another county's
// do not.
func TestDecision_Import_AFunctionalZonesBrandIsItsBureaus(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1)})
	xishan := addZone(t, s)
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	anning := stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"})
	tag := runTag(t)
	row := brandimport.Row{Name: "高新区软件测试" + tag, UnitName: "昆明高新区软件行业协会", USCC: demo.USCC("91530199MA6N" + tag + "5"),
		BrandType: "regional", Category: "manufacturing", CountyCode: "530199", AdmittedOn: date("2024-05-10")}
	// The template's list offers the zone beside the 14 counties, and a row
	// names it so (as the brands' export does); its code is read too.
	tpl, err := excelize.OpenReader(bytes.NewReader(s.Do("GET", "/api/v1/brands/import-template.xlsx", city, nil).Body))
	if err != nil {
		t.Fatal(err)
	}
	if options, _ := tpl.GetCols("选项"); !slices.ContainsFunc(options, func(col []string) bool {
		return len(col) > 0 && col[0] == brandimport.ColCounty && slices.Contains(col, "昆明高新区")
	}) {
		t.Errorf("the template's county list lacks the zone: %v", options)
	}
	for i, typedAs := range []string{"昆明高新区", "530199"} {
		row := row
		if i == 1 {
			row.Name, row.USCC = "高新区数据标注"+tag, demo.USCC("91530199MA6M"+tag+"5")
		}
		var sheet bytes.Buffer
		if err := brandimport.WriteSheet(&sheet, []brandimport.Row{row}); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&sheet)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.SetCellStr(x.GetSheetName(0), "F2", typedAs); err != nil {
			t.Fatal(err)
		}
		typed, err := x.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		if st, a := uploadSheet(t, s, city, false, typed.Bytes()); st != 200 || a.Imported != 1 || a.Recorded != 1 {
			t.Fatalf("import of a zone's brand typed as %s: %d %+v", typedAs, st, a)
		}
	}
	path := "/api/v1/brands/" + row.ID()
	expect(t, s.Do("GET", path, xishan, nil), 200, "the bureau reads the zone's imported brand")
	errorOf(t, s.Do("GET", path, anning, nil), 403, "another county reads it")
	finding := map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}
	errorOf(t, s.Do("POST", path+"/findings", anning, finding), 403, "another county's finding")
	expect(t, s.Do("POST", path+"/findings", xishan, finding), 200, "the bureau's finding")
}

// RULES §3 (one brand per holder) against an import whose brands are slow
// to write their records (here no worker at all): the import answers after
// its wait, but the library stays locked until the brands it started are
// on record — the holder's submission meanwhile is refused as unavailable,
// nothing written — and once the record is written the lock is given back
// and the same submission meets the brand.
func TestDecision_Import_TheLibraryStaysLockedUntilItsBrandsAreOnRecord(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1), NoWorker: true})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	expect(t, s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第二批", "opens_on": "2026-11-01", "closes_on": "2026-12-31"}), 201, "round")
	tag := runTag(t)
	uscc := demo.USCC("91530181MA6N" + tag + "8")
	row := brandimport.Row{Name: "安宁慢写入" + tag, UnitName: "安宁某协会", USCC: uscc, BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", AdmittedOn: date("2024-05-10")}
	if st, a := importSheet(t, s, city, false, []brandimport.Row{row}); st != 200 || a.Imported != 1 || a.Recorded != 0 {
		t.Fatalf("import with no worker: %d %+v, want imported, not recorded", st, a)
	}
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-slow", Role: auth.Applicant, USCC: uscc})
	form := demo.Rose().With("uscc", uscc, "brand_name", "安宁慢写入新品牌"+tag)
	errorOf(t, s.Do("POST", "/api/v1/applications", holder, form), 503, "the holder's submission while its brand is not on record")
	if app, err := s.Store.HolderOpenApplication(t.Context(), uscc); err != nil || app != "" {
		t.Errorf("the refused submission was stored: %q %v", app, err)
	}
	// The brand's record, as its process's first step writes it.
	if err := s.Store.ImportBrand(t.Context(), records.BrandImport{BrandID: row.ID(), Name: row.Name, UnitName: row.UnitName, USCC: uscc,
		BrandType: row.BrandType, Category: row.Category, CountyCode: row.CountyCode, AdmittedOn: row.AdmittedOn, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 30*time.Second, "the lock given back and the brand met", func() error {
		if r := s.Do("POST", "/api/v1/applications", holder, form); r.Status != 409 {
			return fmt.Errorf("status %d: %s", r.Status, r.Body)
		}
		return nil
	})
}

// RULES §4 (brands admitted before the system): a brand whose process ended
// before it wrote its record — terminated, failed at its first step — is
// named as such in the import's answer, not reported as already in the
// library, which it is not; nor does the library stay locked waiting for it.
func TestDecision_Import_AProcessEndedWithoutItsRecordIsNamed(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-11-30", 1), NoWorker: true})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	tag := runTag(t)
	row := brandimport.Row{Name: "安宁中断" + tag, UnitName: "安宁某协会", USCC: demo.USCC("91530181MA6N" + tag + "7"), BrandType: "regional",
		Category: "planting_breeding", CountyCode: "530181", AdmittedOn: date("2024-05-10")}
	if _, err := brandimport.Start(t.Context(), s.Temporal, s.TaskQueue, row.Input(s.Clock, workflows.DefaultBrandPolicy, date("2026-11-30"))); err != nil {
		t.Fatal(err)
	}
	if err := s.Temporal.TerminateWorkflow(t.Context(), workflows.BrandWorkflowID(row.ID()), "", "test: ended before its first step"); err != nil {
		t.Fatal(err)
	}
	st, a := importSheet(t, s, city, false, []brandimport.Row{row})
	if st != 200 || len(a.Brands) != 1 || a.Brands[0].Outcome != "failed" || a.Already != 0 {
		t.Fatalf("import of a row whose process ended without its record: %d %+v, want it failed, not already", st, a)
	}
	if len(a.Errors) != 1 || !strings.Contains(a.Errors[0].Message, "管理流程已结束（被强制终止）而品牌未入库") {
		t.Errorf("the row's problem: %+v, want it named as ended without its record", a.Errors)
	}
	// Nothing of this import is to be written: the next import is not held up.
	if st, _ := importSheet(t, s, city, true, []brandimport.Row{row}); st != 200 {
		t.Errorf("a dry run right after: %d, want 200", st)
	}
	if st, _ := importSheet(t, s, city, false, []brandimport.Row{row}); st != 200 {
		t.Errorf("an import right after: %d, want 200 (the library not held for a process that will never write)", st)
	}
}

// Issue 14 (Excel in), hostile and mistaken uploads: a workbook protected by
// a password, and an Excel 97–2003 .xls, are refused with what to do about
// each, field by field.
func TestDecision_Import_EncryptedAndLegacyWorkbooksAreNamed(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	city := stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer})
	ole := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 504)...)
	var name []byte
	for _, r := range "EncryptedPackage" {
		name = append(name, byte(r), 0)
	}
	for _, tc := range []struct {
		what string
		file []byte
		want string
	}{
		{"a workbook with a password", append(append(append([]byte{}, ole...), name...), make([]byte, 512)...), "设有打开密码"},
		{"an .xls", ole, "另存为 .xlsx"},
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "品牌库.xlsx")
		fw.Write(tc.file)
		mw.Close()
		req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL+"/api/v1/brands/import?dry_run=true", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+city)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 422 || !strings.Contains(string(raw), `"field":"file"`) || !strings.Contains(string(raw), tc.want) {
			t.Errorf("%s: %d %s; want 422 naming the file with %q", tc.what, resp.StatusCode, raw, tc.want)
		}
		// API.md: every upload is in the audit trail, a refused one too —
		// its SHA-256, who, and why.
		sum := sha256.Sum256(tc.file)
		rows, err := s.Store.AuditFor(t.Context(), "import", hex.EncodeToString(sum[:]))
		if err != nil || len(rows) != 1 || rows[0].Action != "import.brands_refused" || rows[0].Actor != "city-taskforce" ||
			!strings.Contains(string(rows[0].After), tc.want) || !strings.Contains(string(rows[0].After), `"status": 422`) {
			t.Errorf("%s: audit rows %+v (%v), want one import.brands_refused by city-taskforce saying %q", tc.what, rows, err, tc.want)
		}
	}
}
