package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十一条, RULES §1 Decision: a functional zone is added by an operator,
// not by SQL, and pointing it at another county bureau moves its open
// matters there — the open application's 初审 and the admitted brand's
// findings are the new bureau's to give, the old one's are refused, the
// brand's deadlines go to the new bureau's queue, and each history says so.
func Test第十一条_AZonePointedAtAnotherBureauMovesItsOpenMatters(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 10000)})
	a := tokens(t)
	seedPool(t, s, a)
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	xishan := stacktest.Token(t, auth.Principal{Sub: "officer-xishan", Role: auth.CountyOfficer, County: "530112"})
	guandu := stacktest.Token(t, auth.Principal{Sub: "officer-guandu", Role: auth.CountyOfficer, County: "530111"})
	zone := "/api/v1/review-units/530199"
	expect(t, s.Do("PUT", zone, admin, map[string]any{"name": " 昆明高新区 ", "reviewer_code": "530112"}), 200, "add the zone")

	brand := admitZoneBrand(t, s, a, xishan)
	brandPath := "/api/v1/brands/" + brand
	uscc := demo.USCC("5153019900000017")
	other := stacktest.Token(t, auth.Principal{Sub: "holder-zone-2", Role: auth.Applicant, USCC: uscc})
	open := "/api/v1/applications/" + expect(t, s.Do("POST", "/api/v1/applications", other,
		demo.Rose().With("brand_name", "昆明高新区数据标注员", "county_code", "530199", "uscc", uscc)), 201, "a second application in the zone")["id"].(string)

	saved := expect(t, s.Do("PUT", zone, admin, map[string]any{"name": "昆明高新区", "reviewer_code": "530111"}), 200, "point the zone at 官渡")
	if u := saved["unit"].(map[string]any); u["revision"] != float64(2) || u["reviewer_name"] != "官渡区" || saved["fanout_workflow_id"] == "" {
		t.Errorf("saved: %v", saved)
	}
	testenv.Eventually(t, time.Minute, "the zone's open processes told", func() error {
		for _, u := range expect(t, s.Do("GET", "/api/v1/review-units", a.city, nil), 200, "units")["items"].([]any) {
			if u := u.(map[string]any); u["code"] == "530199" && u["told"] != true {
				return fmt.Errorf("not yet told: %v", u)
			}
		}
		return nil
	})

	// A bureau's lists narrow to a zone it looks after; the old bureau's are refused it.
	openID := strings.TrimPrefix(open, "/api/v1/applications/")
	for list, want := range map[string]string{"/api/v1/brands?county=530199": brand, "/api/v1/applications?county=530199": openID,
		"/api/v1/reports?county=530199": "", "/api/v1/changes?county=530199": ""} {
		got := expect(t, s.Do("GET", list, guandu, nil), 200, "the new bureau's "+list)
		if !strings.Contains(fmt.Sprint(got["items"]), want) {
			t.Errorf("%s for the new bureau lacks %s: %v", list, want, got["items"])
		}
		errorOf(t, s.Do("GET", list, xishan, nil), 403, "the old bureau's "+list)
	}
	if got := expect(t, s.Do("GET", "/api/v1/applications", guandu, nil), 200, "the new bureau's applications"); !strings.Contains(fmt.Sprint(got["items"]), openID) {
		t.Errorf("the new bureau's own list lacks the zone's application: %v", got["items"])
	}

	review := map[string]any{"decision": "approve", "opinion": "同意"}
	errorOf(t, s.Do("POST", open+"/county-review", xishan, review), 403, "初审 by the old bureau")
	expect(t, s.Do("POST", open+"/county-review", guandu, review), 200, "初审 by the new bureau")
	finding := map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}
	errorOf(t, s.Do("POST", brandPath+"/findings", xishan, finding), 403, "the old bureau's finding")
	expect(t, s.Do("POST", brandPath+"/findings", guandu, finding), 200, "the new bureau's finding")
	testenv.Eventually(t, time.Minute, "the rectification's deadline in the new bureau's queue", func() error {
		if tasks := expect(t, s.Do("GET", "/api/v1/tasks", guandu, nil), 200, "tasks"); !strings.Contains(fmt.Sprint(tasks["items"]), brand) {
			return fmt.Errorf("tasks %v", tasks["items"])
		}
		return nil
	})
	if tasks := expect(t, s.Do("GET", "/api/v1/tasks", xishan, nil), 200, "the old bureau's tasks"); strings.Contains(fmt.Sprint(tasks["items"]), brand) {
		t.Errorf("the old bureau's queue still lists the brand: %v", tasks["items"])
	}
	zoneTasksNameTheZone(t, s, a, guandu, xishan, brand, openID)
	for _, p := range []string{brandPath, open} {
		if raw := string(s.Do("GET", p, a.city, nil).Body); !strings.Contains(raw, "改由官渡区人社部门办理（原为西山区）") {
			t.Errorf("%s's history does not say the zone moved: %s", p, raw)
		}
	}
}

// RULES §1: only an operator saves a zone, only a zone (never one of the 14
// counties, which review themselves), only pointed at one of the 14 — each
// refusal names its field and saves nothing.
func TestDecision_ReviewUnits_RefuseWhatIsNotAZoneOfABureau(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	good := map[string]any{"name": "昆明经开区", "reviewer_code": "530111"}
	errorOf(t, s.Do("PUT", "/api/v1/review-units/530199", a.anning, good), 403, "a county officer")
	for _, c := range []struct {
		name, code string
		body       map[string]any
		field      string
	}{
		{"a county re-pointed", "530112", good, "code"},
		{"a code outside Kunming", "110199", good, "code"},
		// The city's own code is a city expert's county (recused from no
		// county) and the city on every list; 530101 is 市辖区.
		{"the city's own code", "530100", good, "code"},
		{"市辖区", "530101", good, "code"},
		{"a zone's bureau that is a zone", "530199", map[string]any{"name": "昆明经开区", "reviewer_code": "530198"}, "reviewer_code"},
		{"no name", "530199", map[string]any{"name": "  ", "reviewer_code": "530111"}, "name"},
		{"a name too long", "530199", map[string]any{"name": strings.Repeat("区", 41), "reviewer_code": "530111"}, "name"},
	} {
		e := errorOf(t, s.Do("PUT", "/api/v1/review-units/"+c.code, admin, c.body), 422, c.name)
		if f := failingFields(e); fmt.Sprint(f) != "["+c.field+"]" {
			t.Errorf("%s: fields %v, want [%s]", c.name, f, c.field)
		}
	}
	for _, u := range expect(t, s.Do("GET", "/api/v1/review-units", admin, nil), 200, "units")["items"].([]any) {
		u := u.(map[string]any)
		if u["kind"] != "county" || u["reviewer_code"] != u["code"] {
			t.Errorf("after refusals the units hold %v", u)
		}
	}
}

// RULES §1, and the starter's promise (a revision stored is told even when
// the API could not start its telling): a zone re-pointed in the store
// without a fan-out leaves its open application with the old bureau until
// the sweep finds the revision untold and starts the telling.
func TestDecision_ReviewUnits_TheSweepTellsARevisionTheAPICouldNot(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	guandu := stacktest.Token(t, auth.Principal{Sub: "officer-guandu", Role: auth.CountyOfficer, County: "530111"})
	expect(t, s.Do("PUT", "/api/v1/review-units/530199", admin, map[string]any{"name": "昆明高新区", "reviewer_code": "530112"}), 200, "add the zone")
	holder, f := zoneApplicant(t)
	path := "/api/v1/applications/" + expect(t, s.Do("POST", "/api/v1/applications", holder, f), 201, "submit in the zone")["id"].(string)

	ctx := context.Background()
	if _, err := s.Store.SaveReviewUnit(ctx, store.ReviewUnit{Code: "530199", Name: "昆明高新区", ReviewerCode: "530111", Active: true},
		time.Now(), "admin", "admin"); err != nil {
		t.Fatal(err)
	}
	review := map[string]any{"decision": "approve", "opinion": "同意"}
	errorOf(t, s.Do("POST", path+"/county-review", guandu, review), 403, "初审 by the new bureau before it is told")
	sweep := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default()}
	if n, err := sweep.SweepBureauFanouts(ctx, 0); err != nil || n != 1 {
		t.Fatalf("the sweep started %d tellings, %v; want 1", n, err)
	}
	testenv.Eventually(t, time.Minute, "the zone told", func() error {
		if units, _ := s.Store.ReviewUnitsUntold(ctx, 0); len(units) > 0 {
			return fmt.Errorf("untold: %+v", units)
		}
		return nil
	})
	expect(t, s.Do("POST", path+"/county-review", guandu, review), 200, "初审 by the new bureau once told")
	if n, err := sweep.SweepBureauFanouts(ctx, 0); err != nil || n != 0 {
		t.Errorf("a told zone: the sweep started %d, %v", n, err)
	}
}

// RULES §1, §3: a functional zone that stops taking applications (active
// false) stops new ones, not the resubmission of one it has — the county of
// a resubmission cannot change, so a 422 on county_code would have left the
// holder only the lapse of its 20 working days (withdrawn).
func TestRULES3_AZoneThatStopsTakingApplicationsStillTakesAResubmission(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}), 201, "round")
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	xishan := stacktest.Token(t, auth.Principal{Sub: "officer-xishan", Role: auth.CountyOfficer, County: "530112"})
	zone := "/api/v1/review-units/530199"
	expect(t, s.Do("PUT", zone, admin, map[string]any{"name": "昆明高新区", "reviewer_code": "530112"}), 200, "add the zone")
	uscc := demo.USCC("5153019900000025")
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-zone", Role: auth.Applicant, USCC: uscc})
	form := demo.Rose().With("brand_name", "昆明高新区软件测试员", "county_code", "530199", "uscc", uscc)
	path := "/api/v1/applications/" + expect(t, s.Do("POST", "/api/v1/applications", holder, form), 201, "an application in the zone")["id"].(string)
	expect(t, s.Do("POST", path+"/county-review", xishan, map[string]any{"decision": "return", "opinion": "请补充材料"}), 200, "return")
	expect(t, s.Do("PUT", zone, admin, map[string]any{"name": "昆明高新区", "reviewer_code": "530112", "active": false}), 200, "the zone stops taking applications")

	other := demo.USCC("5153019900000033")
	e := errorOf(t, s.Do("POST", "/api/v1/applications", stacktest.Token(t, auth.Principal{Sub: "holder-zone-2", Role: auth.Applicant, USCC: other}),
		form.With("brand_name", "昆明高新区数据标注员", "uscc", other)), 422, "a new application in the zone")
	if got := failingFields(e); !slices.Equal(got, []string{"county_code"}) {
		t.Errorf("a new application in the closed zone: fields %v, want county_code", got)
	}
	v := expect(t, s.Do("POST", path+"/resubmit", holder, form.With("direct_employees", 1200)), 200, "the resubmission")
	if v["stage"] != "county_review" {
		t.Errorf("after the resubmission: stage %v, want county_review", v["stage"])
	}
}

// zoneTasksNameTheZone: RULES §1 — a zone's tasks are in its bureau's queue
// (county_code) and say where the brand is (place_code, the lists' and the
// export's 所在县（市、区）); ?county= narrows a queue to the zone, exactly,
// as it does the brand lists.
func zoneTasksNameTheZone(t *testing.T, s *stacktest.Stack, a actors, guandu, xishan, brand, application string) {
	t.Helper()
	places := func(token, query string) map[string]string {
		out := map[string]string{}
		for _, it := range expect(t, s.Do("GET", "/api/v1/tasks"+query, token, nil), 200, "tasks"+query)["items"].([]any) {
			it := it.(map[string]any)
			out[it["object_id"].(string)] = fmt.Sprint(it["county_code"], "/", it["place_code"])
		}
		return out
	}
	if got := places(guandu, ""); got[brand] != "530111/530199" {
		t.Errorf("the new bureau's task on the zone's brand reads %q, want bureau 530111 and place 530199", got[brand])
	}
	if got := places(guandu, "?county=530199"); got[brand] == "" {
		t.Errorf("the new bureau's queue narrowed to the zone lacks its brand: %v", got)
	}
	errorOf(t, s.Do("GET", "/api/v1/tasks?county=530199", xishan, nil), 403, "the old bureau's queue narrowed to the zone")
	if got := places(a.city, "?county=530199"); got[application] != "530111/530199" {
		t.Errorf("the city's queue narrowed to the zone lacks its 复审: %v", got)
	}
	if got := places(a.city, "?county=530111"); got[application] != "" {
		t.Errorf("the city's queue narrowed to 官渡区 lists the zone's application: %v", got)
	}
	_, rows := workbook(t, s.Do("GET", "/api/v1/tasks.xlsx", guandu, nil), "待办")
	for _, r := range rows[1:] {
		if r[2] == brand && r[4] != "昆明高新区" {
			t.Errorf("tasks.xlsx names %q where the zone's brand is, want 昆明高新区: %v", r[4], r)
		}
	}
}

// RULES §1 (a zone re-pointed tells its open matters): a process whose
// record is open but which an operator terminated is passed over — logged
// for the operator — instead of holding the zone's telling, and every later
// revision of it, for ever.
func TestRULES1_AZonesTellingPassesOverAProcessAnOperatorTerminated(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	admin := stacktest.Token(t, auth.Principal{Sub: "admin", Role: auth.Admin})
	expect(t, s.Do("POST", "/api/v1/rounds", tokens(t).city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}), 201, "round")
	zone := "/api/v1/review-units/530199"
	expect(t, s.Do("PUT", zone, admin, map[string]any{"name": "昆明高新区", "reviewer_code": "530112"}), 200, "add the zone")
	uscc := demo.USCC("5153019900000033")
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-zone-3", Role: auth.Applicant, USCC: uscc})
	id := expect(t, s.Do("POST", "/api/v1/applications", holder,
		demo.Rose().With("brand_name", "昆明高新区测试员", "county_code", "530199", "uscc", uscc)), 201, "an application in the zone")["id"].(string)
	ctx := context.Background()
	testenv.Eventually(t, time.Minute, "its process started", func() error {
		_, err := s.Temporal.DescribeWorkflowExecution(ctx, workflows.ApplicationWorkflowID(id), "")
		return err
	})
	if err := s.Temporal.TerminateWorkflow(ctx, workflows.ApplicationWorkflowID(id), "", "an operator's test"); err != nil {
		t.Fatal(err)
	}
	expect(t, s.Do("PUT", zone, admin, map[string]any{"name": "昆明高新区", "reviewer_code": "530111"}), 200, "point the zone at 官渡")
	testenv.Eventually(t, time.Minute, "the zone told", func() error {
		if units, _ := s.Store.ReviewUnitsUntold(ctx, 0); len(units) > 0 {
			return fmt.Errorf("untold: %+v", units)
		}
		return nil
	})
}
