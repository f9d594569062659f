package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/paper/papertest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/update"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// admitBrand puts an admitted brand in place without the admission
// procedure: a round, the application with form f in stage admitted, the
// brand row, and the brand's process started directly.
func admitBrand(t *testing.T, s *stacktest.Stack, f demo.Form, admittedOn string) string {
	t.Helper()
	in := seedBrand(t, s, f, admittedOn)
	if err := startBrand(s, in); err != nil {
		t.Fatalf("start brand process: %v", err)
	}
	return in.BrandID
}

// startBrand starts a seeded brand's process, as its application's process
// does once the admission is on record.
func startBrand(s *stacktest.Stack, in workflows.BrandInput) error {
	_, err := s.Temporal.ExecuteWorkflow(context.Background(), workflows.BrandStartOptions(in, s.TaskQueue), workflows.BrandWorkflow, in)
	return err
}

// seedBrand writes an admitted brand's rows (admitBrand) and returns its
// process's input, the process not started.
func seedBrand(t *testing.T, s *stacktest.Stack, f demo.Form, admittedOn string) workflows.BrandInput {
	t.Helper()
	ctx := context.Background()
	appID := fmt.Sprintf("A%d", time.Now().UnixNano())
	brandID := workflows.BrandIDFor(appID)
	raw, _ := json.Marshal(f)
	pool := s.Store.Pool()
	at, _ := calendar.ParseDate(admittedOn)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO rounds (id, name, opens_on, closes_on, created_at, created_by)
			VALUES ('R-2025', '2025年第一批', '2025-03-01', '2025-04-30', now(), 'test') ON CONFLICT DO NOTHING`, nil},
		{`INSERT INTO applications (id, round_id, stage, brand_name, brand_type, category, county_code, unit_name, uscc,
			form, eligibility, submitted_at, submitted_by, updated_at, name_key)
			VALUES ($1, 'R-2025', 'admitted', $2, $3, $4, $5, $6, $7, $8, '[]', now(), 'test', now(), $9)`,
			[]any{appID, f["brand_name"], f["brand_type"], f["category"], f["county_code"], f["unit_name"], f["uscc"], raw,
				namekey.Key(f["brand_name"].(string))}},
		{`INSERT INTO brands (id, application_id, name, status, county_code, category, brand_type, unit_name, uscc, admitted_on, updated_at, name_key)
			SELECT $1, id, brand_name, 'active', county_code, category, brand_type, unit_name, uscc, $2, now(), name_key FROM applications WHERE id = $3`,
			[]any{brandID, admittedOn, appID}},
	} {
		if _, err := pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("seed brand: %v", err)
		}
	}
	return workflows.BrandInput{BrandID: brandID, ApplicationID: appID, Name: f["brand_name"].(string),
		BrandType: f["brand_type"].(string), Category: f["category"].(string), CountyCode: f["county_code"].(string),
		UnitName: f["unit_name"].(string), USCC: f["uscc"].(string), AdmittedOn: at, Clock: s.Clock, Policy: workflows.DefaultBrandPolicy}
}

type brandActors struct {
	rose, embroidery, anning, wuhua, shilin, city, supervisor, expert string
}

func brandTokens(t *testing.T) brandActors {
	tok := func(p auth.Principal) string { return stacktest.Token(t, p) }
	return brandActors{
		rose:       tok(auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: "51530181MJ0000001U"}),
		embroidery: tok(auth.Principal{Sub: "holder-embroidery", Role: auth.Applicant, USCC: "91530126MA6K00001Q"}),
		anning:     tok(auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"}),
		wuhua:      tok(auth.Principal{Sub: "officer-wuhua", Role: auth.CountyOfficer, County: "530102"}),
		shilin:     tok(auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"}),
		city:       tok(auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer}),
		supervisor: tok(auth.Principal{Sub: "supervisor", Role: auth.Supervisor}),
		expert:     tok(auth.Principal{Sub: "EXP01", Role: auth.Expert}),
	}
}

// errorOf returns the error object of an error answer with status want.
func errorOf(t *testing.T, r stacktest.Response, want int, what string) map[string]any {
	t.Helper()
	return expect(t, r, want, what)["error"].(map[string]any)
}

// failingFields lists error.fields[].field.
func failingFields(e map[string]any) []string {
	var out []string
	fields, _ := e["fields"].([]any)
	for _, f := range fields {
		out = append(out, f.(map[string]any)["field"].(string))
	}
	slices.Sort(out)
	return out
}

// personal data of the demo forms, which no public page and no holder's
// view of a report may show.
var rosePersonalData = []string{"李玫", "13888123456", "张云华"}

const reporterContact = "举报人赵某 13700001234"

// 第十五条 over HTTP: findings and rectification, removal with its ban and
// announcement, reports and their triage, change registration, and the
// refusals around them.
func TestBrandLifeOverHTTP(t *testing.T) {
	// Business time runs at wall speed from 2026-09-01 09:00: nothing lapses during the test.
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	rose := admitBrand(t, s, demo.Rose(), "2025-06-20")
	embroidery := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	path := func(id, rest string) string { return "/api/v1/brands/" + id + rest }
	finding := map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}

	t.Run("API.md who may do what: role and county are checked before the process (403)", func(t *testing.T) {
		cases := []struct {
			name, method, path, token string
			body                      any
		}{
			{"another county's officer may not record a finding", "POST", path(rose, "/findings"), a.wuhua, finding},
			{"another holder may not read the brand", "GET", path(rose, ""), a.embroidery, nil},
			{"an expert does not read brands", "GET", path(rose, ""), a.expert, nil},
			{"a holder may not record a finding", "POST", path(rose, "/findings"), a.rose, finding},
			{"a county officer may not decide a suspension", "POST", path(rose, "/suspension-decision"), a.anning, map[string]any{"suspend": true, "reason": "x"}},
			{"the city does not confirm rectification", "POST", path(rose, "/rectification/confirm"), a.city, map[string]any{"note": "x"}},
			{"the city does not file removal reports", "POST", path(rose, "/removal-report"), a.city, map[string]any{"reason": "fraud", "description": "x"}},
			{"a supervisor only reads", "POST", path(rose, "/findings"), a.supervisor, finding},
			{"another holder may not file an evaluation report", "POST", path(rose, "/evaluations"), a.embroidery, map[string]any{}},
			{"a county officer lists its own county only", "GET", "/api/v1/brands?county=530126", a.anning, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { errorOf(t, s.Do(c.method, c.path, c.token, c.body), 403, c.name) })
		}
	})

	t.Run("422 names every failing field at once", func(t *testing.T) {
		cases := []struct {
			name, path, token string
			body              any
			want              []string
		}{
			// The API checks the shape; the process's validator owns the codes and answers after it.
			{"finding: empty description", path(rose, "/findings"), a.anning,
				map[string]any{"reason": "late", "description": " "}, []string{"description"}},
			{"finding: unknown reason", path(rose, "/findings"), a.anning,
				map[string]any{"reason": "late", "description": "x"}, []string{"reason"}},
			{"finding: evaluation_findings is opened by an assessment only", path(rose, "/findings"), a.anning,
				map[string]any{"reason": "evaluation_findings", "description": "x"}, []string{"reason"}},
			{"interview: a future date, no note", path(rose, "/interview"), a.anning,
				map[string]any{"held_on": "2027-01-05"}, []string{"held_on", "note"}},
			{"suspension: no decision, no reason, bad province report", path(rose, "/suspension-decision"), a.city,
				map[string]any{"province_report": map[string]any{"reported_on": "2026-13-01"}},
				[]string{"province_report.doc_no", "province_report.reported_on", "reason", "suspend"}},
			{"removal report: no description", path(rose, "/removal-report"), a.anning,
				map[string]any{"reason": "bankrupt", "description": ""}, []string{"description"}},
			{"removal report: a reason outside 附件3", path(rose, "/removal-report"), a.anning,
				map[string]any{"reason": "bankrupt", "description": "x"}, []string{"reason"}},
			{"removal report: one of several reasons outside 附件3", path(rose, "/removal-report"), a.anning,
				map[string]any{"reasons": []string{"fraud", "bankrupt"}, "description": "x"}, []string{"reasons[1]"}},
			// A body may not carry an endless list into the brand's history.
			{"removal report: a reason ticked twice, no description", path(rose, "/removal-report"), a.anning,
				map[string]any{"reasons": []string{"fraud", "fraud"}}, []string{"description", "reasons"}},
			{"evaluation report: every figure missing", path(rose, "/evaluations"), a.rose,
				map[string]any{"period": "2028", "labor_income_wan": 1.234}, []string{"direct_employees", "driven_employment",
					"labor_income_wan", "major_accidents", "major_complaints", "period", "summary", "trainees_two_years", "violations"}},
			{"change request: each field by the 推荐表's rules", path(rose, "/changes"), a.rose,
				map[string]any{"changes": map[string]any{"brand_name": "玫", "uscc": "91350100M000100Y44", "category": "mining",
					"direct_employees": "many", "nickname": "x", "county_code": "530102"}},
				[]string{"changes.brand_name", "changes.category", "changes.county_code", "changes.direct_employees",
					"changes.nickname", "changes.uscc", "reason"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := failingFields(errorOf(t, s.Do("POST", c.path, c.token, c.body), 422, c.name))
				if !slices.Equal(got, c.want) {
					t.Errorf("fields %v, want %v", got, c.want)
				}
			})
		}
	})

	t.Run("第十五条: an evaluation report outside the window is refused and leaves no row", func(t *testing.T) {
		body := map[string]any{"period": "2025-2027", "violations": 0, "major_complaints": 0, "major_accidents": 0,
			"direct_employees": 3300, "driven_employment": 12500, "labor_income_wan": 19000.5, "trainees_two_years": 5600, "summary": "发展平稳"}
		errorOf(t, s.Do("POST", path(rose, "/evaluations"), a.rose, body), 409, "early report")
		var n int
		s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM evaluations WHERE brand_id = $1`, rose).Scan(&n)
		if n != 0 {
			t.Errorf("%d evaluation rows left behind", n)
		}
	})

	t.Run("第十五条（一）: a level-1 finding gives one month, moved past 国庆 to 2026-10-08; a retry is idempotent", func(t *testing.T) {
		first := s.Do("POST", path(rose, "/findings"), a.anning, finding, "Idempotency-Key", "finding-1")
		v := expect(t, first, 200, "finding")
		again := s.Do("POST", path(rose, "/findings"), a.anning, finding, "Idempotency-Key", "finding-1")
		if again.Status != 200 || again.Header.Get("Idempotent-Replay") != "true" || string(again.Body) != string(first.Body) {
			t.Fatalf("retry: %d %s", again.Status, again.Body)
		}
		r, _ := v["rectification"].(map[string]any)
		if v["status"] != "rectifying" || r == nil || r["level"] != 1.0 || r["reason"] != "logo_misuse" || r["ordered_on"] != "2026-09-01" ||
			r["due"] != "2026-10-08" || r["due_at"] != "2026-10-09T00:00:00+08:00" {
			t.Fatalf("after the finding: status %v, rectification %v", v["status"], r)
		}
		if fs := v["findings"].([]any); len(fs) != 1 {
			t.Errorf("findings %v: the retry recorded a second one", fs)
		}
		e := errorOf(t, s.Do("POST", path(rose, "/findings"), a.anning, finding), 409, "second level-1 finding")
		if e["details"].(map[string]any)["status"] != "rectifying" {
			t.Errorf("409 details %v", e["details"])
		}
	})

	t.Run("第十五条（一）: the county confirms rectification → active", func(t *testing.T) {
		v := expect(t, s.Do("POST", path(rose, "/rectification/confirm"), a.anning, map[string]any{"note": "已撤下违规包装，现场核实"}), 200, "confirm")
		if v["status"] != "active" || v["rectification"] != nil {
			t.Fatalf("after confirmation: %v %v", v["status"], v["rectification"])
		}
	})

	t.Run("第十五条（四）: a county removal report → pending removal; the city removes; ban for five years", func(t *testing.T) {
		v := expect(t, s.Do("POST", path(rose, "/removal-report"), a.anning,
			map[string]any{"reason": "dissolved_or_inactive", "description": "协会已注销登记"}), 200, "removal report")
		p, _ := v["pending_decision"].(map[string]any)
		if p == nil || p["kind"] != "removal" || p["due"] == nil {
			t.Fatalf("pending_decision %v", v["pending_decision"])
		}
		// Matters open as the city decides: a change request and a report.
		change := expect(t, s.Do("POST", path(rose, "/changes"), a.rose, map[string]any{"changes": map[string]any{"contact_phone": "13800001111"},
			"reason": "联系人电话变更"}), 201, "change request")["id"].(string)
		report := expect(t, s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": rose,
			"content": "协会已停止活动仍在使用标识", "evidence": "现场照片", "contact": reporterContact}), 201, "report")["id"].(string)
		v = expect(t, s.Do("POST", path(rose, "/removal-decision"), a.city, map[string]any{"remove": true, "reason": "经核实已注销"}), 200, "removal")
		if v["status"] != "removed" || v["removed_on"] != "2026-09-01" || v["reapply_after"] != "2031-09-01" || v["pending_decision"] != nil {
			t.Fatalf("after removal: %v %v %v %v", v["status"], v["removed_on"], v["reapply_after"], v["pending_decision"])
		}
		// RULES §4: a removal closes every matter — on record too, so no
		// list offers them to an officer whose decision would be refused.
		for _, ch := range v["changes"].([]any) {
			if ch := ch.(map[string]any); ch["id"] == change && (ch["status"] != "closed" || ch["decided_at"] == nil) {
				t.Errorf("the change request open at the removal: %v, want closed with its day", ch)
			} else if r, _ := ch["replaced"].(map[string]any); ch["id"] == change && r["contact_phone"] == nil {
				t.Errorf("the closed change request %v keeps no value the record held (its 附件2's 由…)", ch)
			}
		}
		for _, status := range []string{"county", ""} {
			for _, ch := range expect(t, s.Do("GET", "/api/v1/changes?status="+status, a.anning, nil), 200, "changes")["items"].([]any) {
				if ch := ch.(map[string]any); ch["id"] == change && ch["status"] != "closed" {
					t.Errorf("GET /changes?status=%s lists the removed brand's request as %v", status, ch["status"])
				}
			}
		}
		for _, r := range expect(t, s.Do("GET", "/api/v1/reports?status=open", a.anning, nil), 200, "open reports")["items"].([]any) {
			if r.(map[string]any)["id"] == report {
				t.Error("the removed brand's report is still waiting for triage")
			}
		}
		closed := expect(t, s.Do("GET", "/api/v1/reports?status=closed", a.anning, nil), 200, "closed reports")["items"].([]any)
		if len(closed) != 1 || closed[0].(map[string]any)["id"] != report || closed[0].(map[string]any)["triage_note"] != store.ClosedByRemoval {
			t.Errorf("closed reports %v, want %s with its note", closed, report)
		}
		var until string
		err := s.Store.Pool().QueryRow(context.Background(), `SELECT to_char(until, 'YYYY-MM-DD') FROM bans WHERE brand_id = $1 AND brand_name = '安宁玫瑰'`, rose).Scan(&until)
		if err != nil || until != "2031-09-01" {
			t.Errorf("bans row: %q %v", until, err)
		}
		e := errorOf(t, s.Do("POST", path(rose, "/findings"), a.anning, finding), 409, "finding after removal")
		if e["details"].(map[string]any)["status"] != "removed" {
			t.Errorf("409 details %v", e["details"])
		}
	})

	t.Run("第十五条: the holder is told of each decision on its brand — the order with its day, the confirmation, the removal", func(t *testing.T) {
		var titles []string
		for _, m := range inbox(t, s, a.rose) {
			if m["kind"] == "decision" && m["object_id"] == rose {
				titles = append(titles, m["title"].(string))
			}
		}
		want := []string{"【移出项目库】安宁玫瑰", "【整改到位】安宁玫瑰", "【责令整改】安宁玫瑰：一级整改，期限至2026-10-08"} // newest first
		if !slices.Equal(titles, want) {
			t.Errorf("the holder's decision messages %q, want %q", titles, want)
		}
		if n := countKind(inbox(t, s, a.embroidery), "decision"); n != 0 {
			t.Errorf("another holder was told %d of them", n)
		}
	})

	t.Run("第十五条（四）: the removed name may not apply again (409)", func(t *testing.T) {
		expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2026年第二批", "opens_on": "2026-09-01", "closes_on": "2026-10-31"}), 201, "round")
		form := demo.Embroidery().With("brand_name", "安宁玫瑰", "uscc", "91350100M000100Y43")
		e := errorOf(t, s.Do("POST", "/api/v1/applications", a.city, form), 409, "banned name")
		if e["details"].(map[string]any)["banned_until"] != "2031-09-01" {
			t.Errorf("details %v", e["details"])
		}
		if got := failingFields(e); !slices.Contains(got, "brand_name") {
			t.Errorf("fields %v do not name brand_name", got)
		}
		// 第十五条（四）: the ban covers its last day, and the message says so.
		if msg := e["message"].(string); !strings.Contains(msg, "2031-09-01（含当日）前") {
			t.Errorf("message %q does not say the last banned day is included", msg)
		}
	})

	t.Run("RULES §3: a brand in the library is not submitted again under its holder's USCC (409)", func(t *testing.T) {
		form := demo.Embroidery().With("brand_name", "石林刺绣新品牌")
		e := errorOf(t, s.Do("POST", "/api/v1/applications", a.city, form), 409, "the holder's brand is in the library")
		if e["details"].(map[string]any)["brand_id"] != embroidery {
			t.Errorf("details %v, want brand_id %s", e["details"], embroidery)
		}
	})

	t.Run("第十五条: the removal is announced, in the list and the Atom feed, without personal data", func(t *testing.T) {
		list := expect(t, s.Do("GET", "/api/v1/public/announcements", "", nil), 200, "announcements")
		items := list["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("announcements %v", items)
		}
		an := items[0].(map[string]any)
		if an["kind"] != "removal" || an["brand_name"] != "安宁玫瑰" || an["unit_name"] != "安宁市玫瑰产业协会" ||
			an["county_code"] != "530181" || an["decided_on"] != "2026-09-01" || an["effective_until"] != "2031-09-01" {
			t.Errorf("announcement %v", an)
		}
		// 第十五条（四）: the removal's end date is when it may apply again.
		if an["until_label"] != "不得再次申请至" {
			t.Errorf("the removal's end date is labelled %v, want 不得再次申请至", an["until_label"])
		}
		feed := s.Do("GET", "/api/v1/public/announcements.atom", "", nil)
		body := string(feed.Body)
		if feed.Status != 200 || !strings.HasPrefix(feed.Header.Get("Content-Type"), "application/atom+xml") ||
			!strings.Contains(body, `<feed xmlns="http://www.w3.org/2005/Atom"`) ||
			!strings.Contains(body, fmt.Sprintf("<id>tag:laborbrand,2025-08-01:announcement/%v</id>", an["id"])) ||
			!strings.Contains(body, "<title>移出劳务品牌项目库：安宁玫瑰</title>") || !strings.Contains(body, "不得再次申请至 2031-09-01") {
			t.Errorf("feed %d %s: %s", feed.Status, feed.Header.Get("Content-Type"), body)
		}
		for _, pd := range rosePersonalData {
			if strings.Contains(string(s.Do("GET", "/api/v1/public/announcements", "", nil).Body), pd) || strings.Contains(body, pd) {
				t.Errorf("RULES §6: %q published", pd)
			}
		}
	})

	t.Run("the public catalog lists the library's brands; a removed one has left it", func(t *testing.T) {
		raw := string(s.Do("GET", "/api/v1/public/brands", "", nil).Body)
		if !strings.Contains(raw, embroidery) || strings.Contains(raw, rose) || strings.Contains(raw, "毕阿诗") {
			t.Errorf("catalog %s", raw)
		}
		// API.md: a name is found as people type it — spaces, width and
		// look-alikes aside (the name's key), as well as by its letters.
		for _, q := range []string{"撒尼刺绣", "石林 撒尼", "石林\u3000撒尼刺绣"} {
			got := expect(t, s.Do("GET", "/api/v1/public/brands?name="+url.QueryEscape(q), "", nil), 200, q)["items"].([]any)
			if len(got) != 1 || got[0].(map[string]any)["id"] != embroidery {
				t.Errorf("?name=%q found %v, want 石林撒尼刺绣", q, got)
			}
		}
	})

	t.Run("举报: public report → county triage opens a finding; the holder never sees the reporter", func(t *testing.T) {
		receipt := expect(t, s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": embroidery,
			"content": "在景区商铺悬挂未经授权的劳务品牌牌匾", "evidence": "现场照片三张", "contact": reporterContact}), 201, "report")
		reportID := receipt["id"].(string)
		errorOf(t, s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": "B-none"}), 422, "report without content")

		// RULES §4: the report waits for the county's triage as an open matter
		// of the brand, due 20 working days after its receipt — shown to
		// officers, never to the holder (RULES §6).
		triageMatter := func(v map[string]any) map[string]any {
			for _, m := range v["open_matters"].([]any) {
				if m := m.(map[string]any); m["kind"] == "report_triage" {
					return m
				}
			}
			return nil
		}
		var officerView map[string]any
		testenv.Eventually(t, time.Minute, "the triage matter in the brand view", func() error {
			officerView = expect(t, s.Do("GET", path(embroidery, ""), a.shilin, nil), 200, "officer's view")
			if triageMatter(officerView) == nil {
				return fmt.Errorf("open matters %v", officerView["open_matters"])
			}
			return nil
		})
		if m := triageMatter(officerView); m["id"] != reportID || m["opened_on"] != receipt["received_on"] {
			t.Errorf("triage matter %v, want report %s opened on its receipt %v", m, reportID, receipt["received_on"])
		}
		waiting := s.Do("GET", path(embroidery, ""), a.embroidery, nil)
		if hv := expect(t, waiting, 200, "holder's view"); triageMatter(hv) != nil || strings.Contains(string(waiting.Body), "report_triage") ||
			strings.Contains(string(waiting.Body), reportID) || strings.Contains(string(waiting.Body), "举报") {
			t.Errorf("the holder learns of the report waiting for triage: %s", waiting.Body)
		}
		// …nor from the deadlines explained (the console's "计算依据").
		triageDeadline := func(token string) bool {
			for _, d := range expect(t, s.Do("GET", path(embroidery, "/deadlines"), token, nil), 200, "deadlines")["items"].([]any) {
				if strings.HasPrefix(d.(map[string]any)["key"].(string), "report_triage") {
					return true
				}
			}
			return false
		}
		if !triageDeadline(a.shilin) {
			t.Errorf("the county officer's deadlines lack the triage's")
		}
		if triageDeadline(a.embroidery) {
			t.Errorf("the holder's deadlines show the triage's (RULES §6: reporters are protected)")
		}

		list := expect(t, s.Do("GET", "/api/v1/reports?status=open", a.shilin, nil), 200, "shilin's reports")
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["contact"] != reporterContact {
			t.Errorf("the county officer sees the report with its contact: %v", items)
		}
		for _, r := range expect(t, s.Do("GET", "/api/v1/reports", a.anning, nil), 200, "anning's reports")["items"].([]any) {
			if r := r.(map[string]any); r["brand_id"] != rose { // its own: the one its removed brand's removal closed
				t.Errorf("another county's report listed: %v", r)
			}
		}
		// RULES §4 (each triage closes its report): a finding that only names
		// the open report would leave it open, to open a second one later.
		byFinding := failingFields(errorOf(t, s.Do("POST", path(embroidery, "/findings"), a.shilin, map[string]any{"reason": "unauthorized_plaque",
			"description": "擅自悬挂标牌", "report_id": reportID}), 422, "a finding naming the report still to triage"))
		if !slices.Equal(byFinding, []string{"report_id"}) {
			t.Errorf("fields %v, want [report_id]", byFinding)
		}
		triage := map[string]any{"action": "finding", "reason": "unauthorized_plaque", "note": "经核实属实，责令撤除"}
		errorOf(t, s.Do("POST", "/api/v1/reports/"+reportID+"/triage", a.anning, triage), 403, "another county triages")
		// The API checks the shape (a note is required); the process's validator owns the reason codes.
		failing := failingFields(errorOf(t, s.Do("POST", "/api/v1/reports/"+reportID+"/triage", a.shilin, map[string]any{"action": "finding"}), 422, "triage without note"))
		if !slices.Equal(failing, []string{"note"}) {
			t.Errorf("fields %v, want [note]", failing)
		}
		failing = failingFields(errorOf(t, s.Do("POST", "/api/v1/reports/"+reportID+"/triage", a.shilin, map[string]any{"action": "finding", "note": "属实"}), 422, "triage without reason"))
		if !slices.Equal(failing, []string{"reason"}) {
			t.Errorf("fields %v, want [reason]", failing)
		}
		v := expect(t, s.Do("POST", "/api/v1/reports/"+reportID+"/triage", a.shilin, triage), 200, "triage")
		if r, _ := v["rectification"].(map[string]any); v["status"] != "rectifying" || r == nil || r["reason"] != "unauthorized_plaque" || r["due"] != "2026-10-08" {
			t.Fatalf("after triage: %v %v", v["status"], v["rectification"])
		}
		if e := errorOf(t, s.Do("POST", "/api/v1/reports/"+reportID+"/triage", a.shilin, triage), 409, "triaged twice"); e["code"] != "already_triaged" {
			t.Errorf("a report triaged twice answers %v, want already_triaged as its operation declares", e["code"])
		}
		// …nor may a finding name it once its triage has decided it.
		byFinding = failingFields(errorOf(t, s.Do("POST", path(embroidery, "/findings"), a.shilin, map[string]any{"reason": "unauthorized_plaque",
			"description": "擅自悬挂标牌", "report_id": reportID}), 422, "a finding naming the report its triage decided"))
		if !slices.Equal(byFinding, []string{"report_id"}) {
			t.Errorf("fields %v, want [report_id]", byFinding)
		}

		holder := s.Do("GET", path(embroidery, ""), a.embroidery, nil)
		hv := expect(t, holder, 200, "holder's view")
		if strings.Contains(string(holder.Body), "赵某") || strings.Contains(string(holder.Body), "13700001234") ||
			strings.Contains(string(holder.Body), reportID) || hv["reports"] != nil {
			t.Errorf("第十五条: the holder's view shows the report: %s", holder.Body)
		}
		officer := expect(t, s.Do("GET", path(embroidery, ""), a.shilin, nil), 200, "officer's view")
		if rs, _ := officer["reports"].([]any); len(rs) != 1 || rs[0].(map[string]any)["status"] != "finding" {
			t.Errorf("officer's view reports %v", officer["reports"])
		}

		// RULES §4 (举报): the city may triage a report too.
		second := expect(t, s.Do("POST", "/api/v1/public/reports", "", map[string]any{"brand_id": embroidery,
			"content": "网店使用该品牌标识销售非本品牌产品", "evidence": "网店页面截图", "contact": "钱某 13800005678"}), 201, "a second report")["id"].(string)
		errorOf(t, s.Do("POST", "/api/v1/reports/"+second+"/triage", a.city, map[string]any{"action": "removal_report",
			"reasons": []string{"serious_violation"}, "note": "x"}), 403, "the city reports for removal (附件3 is the county's)")
		expect(t, s.Do("POST", "/api/v1/reports/"+second+"/triage", a.city,
			map[string]any{"action": "dismiss", "note": "经市级核查，网店已下架"}), 200, "the city's triage")
		dismissed := expect(t, s.Do("GET", "/api/v1/reports?status=dismissed", a.city, nil), 200, "the city's dismissed reports")["items"].([]any)
		if len(dismissed) != 1 || dismissed[0].(map[string]any)["id"] != second || dismissed[0].(map[string]any)["triaged_by"] != "city-taskforce" {
			t.Errorf("dismissed reports %v, want %s dismissed by the city", dismissed, second)
		}
		// A dismissed report may be named by a finding made later — once:
		// one report, one decision.
		if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO findings (id, brand_id, reason, level, description, report_id, ordered_on, actor, at)
			VALUES ('FD-LATER', $1, 'logo_misuse', 1, '复查属实', $2, '2026-09-10', 'officer-530126', now())`, embroidery, second); err != nil {
			t.Fatal(err)
		}
		byFinding = failingFields(errorOf(t, s.Do("POST", path(embroidery, "/findings"), a.shilin, map[string]any{"reason": "unauthorized_plaque",
			"description": "擅自悬挂标牌", "report_id": second}), 422, "a second finding naming the dismissed report"))
		if !slices.Equal(byFinding, []string{"report_id"}) {
			t.Errorf("fields %v, want [report_id]", byFinding)
		}
		// …but a retry of the request that made that finding (its id is the
		// Idempotency-Key's) is not refused by its own first attempt.
		if named, err := s.Store.ReportNamedByFinding(context.Background(), second, "FD-LATER"); err != nil || named {
			t.Errorf("the report is named by another finding than its own retry's: %v %v", named, err)
		}
		if _, err := s.Store.Pool().Exec(context.Background(), `DELETE FROM findings WHERE id = 'FD-LATER'`); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("附件2: a change of name re-checks the ban list; a basic change goes county then city", func(t *testing.T) {
		e := errorOf(t, s.Do("POST", path(embroidery, "/changes"), a.embroidery,
			map[string]any{"changes": map[string]any{"brand_name": "安宁玫瑰"}, "reason": "品牌整合"}), 409, "banned name")
		if e["details"].(map[string]any)["banned_until"] != "2031-09-01" {
			t.Errorf("details %v", e["details"])
		}
		// The refusal names the field as the request does, so the form
		// shows it beside the new name.
		if got := failingFields(e); !slices.Equal(got, []string{"changes.brand_name"}) {
			t.Errorf("fields %v, want [changes.brand_name]", got)
		}
		// 第十五条（四）: the ban covers its last day, and the message says so.
		if msg := e["message"].(string); !strings.Contains(msg, "2031-09-01（含当日）前") {
			t.Errorf("message %q does not say the last banned day is included", msg)
		}
		created := expect(t, s.Do("POST", path(embroidery, "/changes"), a.embroidery,
			map[string]any{"changes": map[string]any{"contact_phone": "１３９８７６５４３２１"}, "reason": "联系人电话变更"}), 201, "change")
		cid := created["id"].(string)
		if created["major"] != false || created["status"] != "county" || created["brand"].(map[string]any)["id"] != embroidery ||
			!strings.Contains(string(mustJSON(created["changes"])), `"13987654321"`) {
			t.Fatalf("change %v", created)
		}
		errorOf(t, s.Do("POST", path(embroidery, "/changes/"+cid+"/opinion"), a.city, map[string]any{"approve": true, "opinion": "同意"}), 409, "city before county")
		expect(t, s.Do("POST", path(embroidery, "/changes/"+cid+"/opinion"), a.shilin, map[string]any{"approve": true, "opinion": "属实，同意"}), 200, "county opinion")
		v := expect(t, s.Do("POST", path(embroidery, "/changes/"+cid+"/opinion"), a.city, map[string]any{"approve": true, "opinion": "同意变更"}), 200, "city opinion")
		ch := v["changes"].([]any)[0].(map[string]any)
		if ch["status"] != "approved" || ch["city_opinion"] != "同意变更" {
			t.Errorf("change after opinions %v", ch)
		}
		// 附件2, RULES §4: the approved basic change is the brand's current record.
		current, err := s.Store.BrandForm(context.Background(), embroidery)
		if err != nil || current["contact_phone"] != "13987654321" || current["brand_name"] != "石林撒尼刺绣" {
			t.Errorf("current record after the change: %v %v", current["contact_phone"], err)
		}
		// 附件2, RULES §4: a later request is compared with the updated record,
		// not the admitted form — its 附件2 shows the approved phone as the value
		// it replaces (from the admitted 0871-67712345 would be the broken reading).
		second := expect(t, s.Do("POST", path(embroidery, "/changes"), a.embroidery,
			map[string]any{"changes": map[string]any{"contact_phone": "13800001111"}, "reason": "联系人电话再次变更"}), 201, "second change")
		sid := second["id"].(string)
		r := s.Do("GET", path(embroidery, "/changes/"+sid+"/form.pdf"), a.embroidery, nil)
		if r.Status != 200 {
			t.Fatalf("second 附件2: %d %s", r.Status, r.Body)
		}
		papertest.Contains(t, r.Body, "联系方式：由“13987654321”变更为“13800001111”")
		if strings.Contains(papertest.Text(t, r.Body), "0871-67712345") {
			t.Errorf("the second 附件2 compares with the admitted form's phone 0871-67712345")
		}
		expect(t, s.Do("POST", path(embroidery, "/changes/"+sid+"/opinion"), a.shilin, map[string]any{"approve": false, "opinion": "号码有误，不予同意"}), 200, "county refuses")
		if current, err := s.Store.BrandForm(context.Background(), embroidery); err != nil || current["contact_phone"] != "13987654321" {
			t.Errorf("a refused change altered the current record: %v %v", current["contact_phone"], err)
		}
	})

	t.Run("lists: by status for the city, by county for a county officer", func(t *testing.T) {
		got := expect(t, s.Do("GET", "/api/v1/brands?status=rectifying", a.city, nil), 200, "list")["items"].([]any)
		if len(got) != 1 || got[0].(map[string]any)["id"] != embroidery {
			t.Errorf("rectifying brands %v", got)
		}
		if got := expect(t, s.Do("GET", "/api/v1/brands", a.shilin, nil), 200, "shilin list")["items"].([]any); len(got) != 1 {
			t.Errorf("shilin's brands %v", got)
		}
		errorOf(t, s.Do("GET", "/api/v1/brands?status=gone", a.city, nil), 422, "unknown status")
	})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// 第十五条 over HTTP, whatever run the row names: a decision is addressed to
// the run of the brand's process that wrote its last step (brands.run_id),
// sparing Temporal a lookup of the current run; a run Temporal does not
// find there — one that continued as new since — is asked again by the
// workflow ID, and the decision is applied all the same.
func TestBrandDecisionReachesTheCurrentRun(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	rose := admitBrand(t, s, demo.Rose(), "2025-06-20")
	ctx := context.Background()
	d, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.BrandWorkflowID(rose), "")
	if err != nil {
		t.Fatal(err)
	}
	current := d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
	storedRun := func() string {
		t.Helper()
		var run string
		if err := s.Store.Pool().QueryRow(ctx, `SELECT coalesce(run_id, '') FROM brands WHERE id = $1`, rose).Scan(&run); err != nil {
			t.Fatal(err)
		}
		return run
	}

	finding := map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}
	expect(t, s.Do("POST", "/api/v1/brands/"+rose+"/findings", a.anning, finding), 200, "finding")
	if run := storedRun(); run != current {
		t.Fatalf("after the finding the row names run %q, the process runs %q", run, current)
	}

	if _, err := s.Store.Pool().Exec(ctx, `UPDATE brands SET run_id = '0b7ee1e2-1d3c-4c9a-9f0e-2f1a3b4c5d6e' WHERE id = $1`, rose); err != nil {
		t.Fatal(err)
	}
	v := expect(t, s.Do("POST", "/api/v1/brands/"+rose+"/rectification/confirm", a.anning,
		map[string]any{"note": "已撤下违规包装，现场核实"}), 200, "confirmation with a run in the row that Temporal does not find")
	if v["status"] != "active" {
		t.Errorf("after the confirmation: status %v, want active", v["status"])
	}
	if run := storedRun(); run != current {
		t.Errorf("after the confirmation the row names run %q, want the process's %q again", run, current)
	}
}

// A brand is on record as admitted a moment before its process runs (the
// application's process records the admission, then starts the brand's).
// A decision sent in between waits for the process and is applied, instead
// of a 503 to the officer who acted at once (第十五条: the county's
// findings). One whose process never comes is a 503 that says it is
// starting, within half the Temporal timeout.
func TestBrandDecisionWaitsForAProcessStillStarting(t *testing.T) {
	// The API's Temporal client tells when an Update found no process, and
	// only then is the process started: the decision is answered by a
	// process that did not exist when it was first sent.
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	watched := &closedWatcher{Client: c, closed: make(chan struct{})}
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1), Timeout: 8 * time.Second, APITemporal: watched})
	a := brandTokens(t)
	finding := map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}

	rose := seedBrand(t, s, demo.Rose(), "2025-06-20")
	started := make(chan error, 1)
	go func() {
		select {
		case <-watched.closed:
			started <- startBrand(s, rose)
		case <-time.After(8 * time.Second):
			started <- fmt.Errorf("no Update found the process missing")
		}
	}()
	v := expect(t, s.Do("POST", "/api/v1/brands/"+rose.BrandID+"/findings", a.anning, finding), 200,
		"a finding sent before the brand's process started")
	if err := <-started; err != nil {
		t.Fatalf("start brand process: %v", err)
	}
	if r, _ := v["rectification"].(map[string]any); r == nil || r["level"] != float64(1) {
		t.Errorf("the answer's rectification order %v, want the first level: the finding applied once", v["rectification"])
	}
	view := expect(t, s.Do("GET", "/api/v1/brands/"+rose.BrandID, a.anning, nil), 200, "the brand")
	if fs, _ := view["findings"].([]any); len(fs) != 1 {
		t.Errorf("findings on record %v, want the one decision, however often it was sent", view["findings"])
	}

	never := seedBrand(t, s, demo.Embroidery(), "2025-06-20")
	sent := time.Now()
	e := errorOf(t, s.Do("POST", "/api/v1/brands/"+never.BrandID+"/findings", a.shilin, finding), 503,
		"a finding on a brand whose process never starts")
	if msg, _ := e["message"].(string); !strings.Contains(msg, "正在启动") {
		t.Errorf("message %q, want it to say the process is starting", msg)
	}
	if waited := time.Since(sent); waited < 4*time.Second || waited > 8*time.Second {
		t.Errorf("answered after %v, want half the Temporal timeout (4 s) and within it", waited)
	}
}

// closedWatcher is a Temporal client that closes closed the first time an
// Update finds no process to take it.
type closedWatcher struct {
	client.Client
	closed chan struct{}
	once   sync.Once
}

func (w *closedWatcher) UpdateWorkflow(ctx context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	h, err := w.Client.UpdateWorkflow(ctx, o)
	if err != nil && update.Closed(err) {
		w.once.Do(func() { close(w.closed) })
	}
	return h, err
}

// A brand whose process ran and stopped (terminated, a run that failed, or
// one whose history has passed retention), while the brand is not removed,
// is not a process still starting: the officer's finding (第十五条) gets a
// 503 at once that says the process is not running, and the log an error
// for the operator, instead of a wait and a wrong "正在启动".
func TestBrandDecisionOnAProcessThatStoppedIsNotMistakenForAStart(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1), Timeout: 8 * time.Second})
	a := brandTokens(t)
	answeredNotRunningAtOnce := func(token, id, what string) {
		t.Helper()
		sent := time.Now()
		e := errorOf(t, s.Do("POST", "/api/v1/brands/"+id+"/findings", token,
			map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}), 503, what)
		if msg, _ := e["message"].(string); !strings.Contains(msg, "未在运行") {
			t.Errorf("%s: message %q, want it to say the process is not running, not that it is starting", what, msg)
		}
		if waited := time.Since(sent); waited >= 4*time.Second {
			t.Errorf("%s: answered after %v, want at once, not after the wait for a process still starting", what, waited)
		}
	}

	id := admitBrand(t, s, demo.Rose(), "2025-06-20")
	for deadline := time.Now().Add(10 * time.Second); ; {
		ref, err := s.Store.GetBrandRef(context.Background(), id)
		if err == nil && ref.RunID != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the brand's process wrote no first step in 10 s: %+v, %v", ref, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// An operator's mistake, or a bug that failed the run: the process is
	// gone and the brand is not removed.
	if err := s.Temporal.TerminateWorkflow(context.Background(), workflows.BrandWorkflowID(id), "", "test"); err != nil {
		t.Fatal(err)
	}
	answeredNotRunningAtOnce(a.anning, id, "a finding on a brand whose process was terminated")

	// A process that ran (its first step wrote the run ID) and that
	// Temporal no longer knows: its history passed the namespace's retention.
	gone := seedBrand(t, s, demo.Embroidery(), "2025-06-20")
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE brands SET run_id = $2 WHERE id = $1`,
		gone.BrandID, "0193a1b2-0000-7000-8000-000000000000"); err != nil {
		t.Fatal(err)
	}
	answeredNotRunningAtOnce(a.shilin, gone.BrandID, "a finding on a brand whose process's history is gone")
}
