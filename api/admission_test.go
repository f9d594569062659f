package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/domain/namekey"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// businessClock starts business time at day 09:00 Asia/Shanghai, running
// scale times faster than the wall clock.
func businessClock(day string, scale int64) clock.Clock {
	d, _ := calendar.ParseDate(day)
	return clock.Clock{Scale: scale, WallOrigin: time.Now(), BusinessOrigin: d.Start().Add(9 * time.Hour)}
}

type actors struct {
	holder, anning, wuhua, city, supervisor string
}

func tokens(t *testing.T) actors {
	return actors{
		holder:     stacktest.Token(t, auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: "51530181MJ0000001U"}),
		anning:     stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"}),
		wuhua:      stacktest.Token(t, auth.Principal{Sub: "officer-wuhua", Role: auth.CountyOfficer, County: "530102"}),
		city:       stacktest.Token(t, auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer}),
		supervisor: stacktest.Token(t, auth.Principal{Sub: "supervisor", Role: auth.Supervisor}),
	}
}

func expect(t *testing.T, r stacktest.Response, status int, what string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
	}
	return r.Map(t)
}

func seedPool(t *testing.T, s *stacktest.Stack, a actors) {
	t.Helper()
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}), 201, "round")
	for _, e := range demo.Experts() {
		expect(t, s.Do("POST", "/api/v1/experts", a.city, map[string]any{"id": e.ID, "name": e.Name, "specialties": e.Specialties, "county_code": e.County}), 201, "expert")
	}
}

// 第十条–第十四条 over HTTP: submission, 初审, expert draw and opinions,
// 复审, 公示 with an objection and its ruling, admission with an active brand.
func TestAdmissionOverHTTP(t *testing.T) {
	// One wall second is ~3 business hours: the 5-working-day notice passes in a minute.
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 10000)})
	a := tokens(t)
	seedPool(t, s, a)

	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")
	id := app["id"].(string)
	if app["stage"] != "county_review" {
		t.Fatalf("stage %v", app["stage"])
	}
	if elig, _ := app["eligibility"].([]any); len(elig) == 0 {
		t.Error("第八条: the eligibility checklist is shown to reviewers")
	}

	t.Run("第十一条: another county's officer may not review (403)", func(t *testing.T) {
		r := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.wuhua, map[string]any{"decision": "approve"})
		expect(t, r, 403, "wuhua")
	})
	t.Run("a decision in the wrong stage is 409 with the current stage", func(t *testing.T) {
		r := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/city-review", a.city, map[string]any{"decision": "reject", "opinion": "x"}), 409, "early city review")
		if st := r["error"].(map[string]any)["details"].(map[string]any)["stage"]; st != "county_review" {
			t.Errorf("details.stage %v", st)
		}
	})
	t.Run("API.md idempotency: same key and body → same answer; other body → 422", func(t *testing.T) {
		body := map[string]any{"decision": "approve", "opinion": "材料齐全，同意推荐"}
		first := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, body, "Idempotency-Key", "k-1"), 200, "初审")
		again := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, body, "Idempotency-Key", "k-1")
		if again.Status != 200 || again.Header.Get("Idempotent-Replay") != "true" || first["stage"] != "city_review" {
			t.Fatalf("replay: %d %s", again.Status, again.Body)
		}
		other := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "reject", "opinion": "x"}, "Idempotency-Key", "k-1")
		expect(t, other, 422, "reused key")
	})

	view := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-draw", a.city, map[string]any{"count": 5, "drawn": 0}), 200, "draw")
	experts := view["experts"].([]any)
	if len(experts) != 5 {
		t.Fatalf("drew %d experts", len(experts))
	}
	// 第十二条: another officer's draw sent having seen none drawn is refused
	// (409, nothing drawn), not a second panel.
	errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-draw", a.city, map[string]any{"count": 5, "drawn": 0}), 409, "a draw seen before the first")
	if f := failingFields(errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-draw", a.city, map[string]any{"count": 1, "drawn": -1}), 422, "a negative count seen")); fmt.Sprint(f) != "[drawn]" {
		t.Errorf("a negative drawn refused on %v, want [drawn]", f)
	}
	if n := len(expect(t, s.Do("GET", "/api/v1/applications/"+id, a.city, nil), 200, "view")["experts"].([]any)); n != 5 {
		t.Errorf("after the refused draw %d experts are drawn, want 5", n)
	}
	// RULES §3: the draw's audit row holds the seed and the whole pool as it
	// stood, each expert with its county, so the draw is audited after the
	// pool has changed.
	var pooled, ofAnning int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT jsonb_array_length(after->'detail'->'experts'),
		(SELECT count(*) FROM jsonb_array_elements(after->'detail'->'experts') e WHERE e->>'county_code' = '530181')
		FROM audit_log WHERE action = 'application.experts.drawn' AND object_id = $1 AND after->'detail' ? 'seed'`, id).Scan(&pooled, &ofAnning); err != nil ||
		pooled != len(demo.Experts()) || ofAnning == 0 {
		t.Errorf("the draw's audit row: %d experts in its pool (%d of 530181), %v; want the %d of the pool", pooled, ofAnning, err, len(demo.Experts()))
	}
	t.Run("RULES §3: approval needs the quorum of opinions (409 before it)", func(t *testing.T) {
		r := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/city-review", a.city, map[string]any{"decision": "approve"}), 409, "quorum")
		if code := r["error"].(map[string]any)["code"]; code != "expert_quorum" {
			t.Errorf("code %v", code)
		}
	})
	for _, e := range experts[:3] {
		eid := e.(map[string]any)["id"].(string)
		if eid == "EXP11" {
			t.Fatal("第十二条: an expert of the applicant's county was drawn")
		}
		tok := stacktest.Token(t, auth.Principal{Sub: eid, Role: auth.Expert})
		expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-opinions", tok, map[string]any{"score": 88, "recommend": true, "comment": "特色鲜明"}), 200, "opinion")
	}
	t.Run("第十二条: the applicant is not told who reviews it, nor their opinions before 复审 ends; an expert reads only its own", func(t *testing.T) {
		mine := experts[0].(map[string]any)["id"].(string)
		expert := stacktest.Token(t, auth.Principal{Sub: mine, Role: auth.Expert})
		seen := expect(t, s.Do("GET", "/api/v1/applications/"+id, expert, nil), 200, "the expert's view")["experts"].([]any)
		if len(seen) != 1 || seen[0].(map[string]any)["id"] != mine || seen[0].(map[string]any)["opinion"] == nil {
			t.Errorf("the expert sees %v; want its own entry only, with its opinion", seen)
		}
		for _, e := range experts[1:3] { // the others who filed: not in its history either
			if other := e.(map[string]any)["id"].(string); strings.Contains(string(s.Do("GET", "/api/v1/applications/"+id, expert, nil).Body), `"actor":"`+other+`"`) {
				t.Errorf("the expert's view names expert %s in its history", other)
			}
		}
		body := string(s.Do("GET", "/api/v1/applications/"+id, a.holder, nil).Body)
		for _, e := range experts {
			if name := e.(map[string]any)["name"].(string); strings.Contains(body, name) || strings.Contains(body, e.(map[string]any)["id"].(string)) {
				t.Errorf("the applicant's view names expert %s", name)
			}
		}
		if strings.Contains(body, "特色鲜明") || strings.Contains(body, "评分88") {
			t.Error("the applicant's view shows an opinion or its score while 复审 goes on")
		}
		drawn := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.holder, nil), 200, "the applicant's view")["experts"].([]any)
		if len(drawn) != 5 {
			t.Errorf("the applicant sees %d experts drawn; want 5, unnamed", len(drawn))
		}
	})
	t.Run("RULES §6: a drawn expert reads the form without its contact person, and not its signed scan, which shows it", func(t *testing.T) {
		scan := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		f := expect(t, signedUpload(t, s, "/api/v1/applications/"+id+"/signed-forms", a.holder,
			map[string]string{"signer": "李玫", "signed_on": "2026-03-02", "seal_present": "true"}, scan), 201, "signed 附件1")
		expert := stacktest.Token(t, auth.Principal{Sub: experts[0].(map[string]any)["id"].(string), Role: auth.Expert})
		v := expect(t, s.Do("GET", "/api/v1/applications/"+id, expert, nil), 200, "the expert's view")
		form, _ := v["form"].(map[string]any)
		if forms, _ := v["signed_forms"].([]any); form["contact_name"] != nil || form["contact_phone"] != nil || len(forms) != 0 {
			t.Errorf("the expert's view: contact %v %v, signed forms %v; want neither", form["contact_name"], form["contact_phone"], v["signed_forms"])
		}
		errorOf(t, s.Do("GET", "/api/v1/applications/"+id+"/signed-forms/"+f["id"].(string), expert, nil), 403, "the expert downloads the scan")
		if dl := s.Do("GET", "/api/v1/applications/"+id+"/signed-forms/"+f["id"].(string), a.city, nil); dl.Status != 200 {
			t.Errorf("the city downloads the scan: %d", dl.Status)
		}
	})
	t.Run("第十二条: an expert who was not drawn cannot read or file (403)", func(t *testing.T) {
		drawn := map[string]bool{}
		for _, e := range experts {
			drawn[e.(map[string]any)["id"].(string)] = true
		}
		for _, e := range demo.Experts() {
			if !drawn[e.ID] {
				tok := stacktest.Token(t, auth.Principal{Sub: e.ID, Role: auth.Expert})
				expect(t, s.Do("POST", "/api/v1/applications/"+id+"/expert-opinions", tok, map[string]any{"score": 10, "recommend": false}), 403, "undrawn")
				return
			}
		}
	})
	view = expect(t, s.Do("POST", "/api/v1/applications/"+id+"/city-review", a.city, map[string]any{"decision": "approve", "opinion": "同意公示"}), 200, "复审")
	if view["stage"] != "public_notice" || view["notice_start"] == nil || view["notice_end"] == nil {
		t.Fatalf("after 复审: %v %v %v", view["stage"], view["notice_start"], view["notice_end"])
	}

	if body := string(s.Do("GET", "/api/v1/applications/"+id, a.holder, nil).Body); !strings.Contains(body, "特色鲜明") ||
		strings.Contains(body, experts[0].(map[string]any)["name"].(string)) {
		t.Error("第十二条: once 复审 is over the applicant reads the opinions, still without their authors")
	}

	notices := expect(t, s.Do("GET", "/api/v1/public/notices", "", nil), 200, "notices")
	if raw := fmt.Sprint(notices); !strings.Contains(raw, "安宁玫瑰") || strings.Contains(raw, "13888123456") || strings.Contains(raw, "李玫") {
		t.Errorf("RULES §6: the public notice shows the brand and never personal data: %s", raw)
	}
	receipt := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", map[string]any{
		"name": "王某", "contact": "13900001111", "content": "部分种植户未纳入协会管理", "evidence": "村委会证明一份"}), 201, "objection")
	if receipt["ruling_due"] == nil {
		t.Fatal("第十三条: an objection gets its own ruling deadline")
	}
	holderView := s.Do("GET", "/api/v1/applications/"+id, a.holder, nil)
	if strings.Contains(string(holderView.Body), "王某") || strings.Contains(string(holderView.Body), "13900001111") {
		t.Error("第十三条/RULES §6: the objector's identity is kept from the applicant")
	}
	// 第十三条: the city rules on what the objection says and its evidence,
	// and may ask its objector; the supervisor oversees it; the applicant
	// and the county see neither.
	for who, tok := range map[string]string{"city": a.city, "supervisor": a.supervisor} {
		objections := expect(t, s.Do("GET", "/api/v1/applications/"+id, tok, nil), 200, who+"'s view")["objections"].([]any)
		m, _ := objections[0].(map[string]any)["matter"].(map[string]any)
		if m["name"] != "王某" || m["contact"] != "13900001111" || m["content"] != "部分种植户未纳入协会管理" ||
			m["evidence"] != "村委会证明一份" || m["via"] != "public" {
			t.Errorf("第十三条: the %s's view of the objection: %v, want its content, evidence and objector", who, objections[0])
		}
	}
	for who, tok := range map[string]string{"applicant": a.holder, "county": a.anning} {
		if body := string(s.Do("GET", "/api/v1/applications/"+id, tok, nil).Body); strings.Contains(body, `"matter"`) || strings.Contains(body, "村委会证明一份") {
			t.Errorf("第十三条: the %s's view shows the objection's matter", who)
		}
	}
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/objections/"+receipt["id"].(string)+"/ruling", a.city,
		map[string]any{"upheld": false, "reason": "经核查，协会已将相关种植户纳入管理"}), 200, "ruling")

	// 第十四条: admitted once the notice has ended and every objection is ruled.
	admitted := waitStage(t, s, a.supervisor, id, "admitted", 3*time.Minute)
	brandID, _ := admitted["brand_id"].(string)
	if brandID == "" {
		t.Fatal("no brand_id after admission")
	}
	t.Run("第十四条: the admitted brand's own process exists and reports active", func(t *testing.T) {
		var st workflows.BrandState
		testenv.Eventually(t, time.Minute, "brand "+brandID+"'s process reports active", func() error {
			v, err := s.Temporal.QueryWorkflow(context.Background(), workflows.BrandWorkflowID(brandID), "", workflows.QueryState)
			if err == nil {
				err = v.Get(&st)
			}
			if err == nil && st.Status != "active" {
				err = fmt.Errorf("status %q", st.Status)
			}
			return err
		})
	})
	t.Run("RULES §6: a letter postmarked in the notice that arrives after admission is refused, naming the brand to report on", func(t *testing.T) {
		late := map[string]any{"name": "李某", "contact": "13900002222", "content": "部分种植户未纳入协会管理（来信）",
			"evidence": "村委会证明一份", "postmarked_on": view["notice_start"]}
		e := errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, late), 409, "a letter after admission")
		if e["code"] != "admitted_already" || e["details"].(map[string]any)["brand_id"] != brandID || !strings.Contains(e["message"].(string), "举报") {
			t.Errorf("the refusal %v, want admitted_already naming brand %s and the report", e, brandID)
		}
		var n int
		if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM objections WHERE content LIKE '%（来信）'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d letters stored (%v), want none", n, err)
		}
	})
	t.Run("第十四条: the holder is told of its admission in its inbox, once", func(t *testing.T) {
		var told []map[string]any
		testenv.Eventually(t, time.Minute, "the holder's decision message", func() error {
			told = nil
			for _, m := range inbox(t, s, a.holder) {
				if m["kind"] == "decision" {
					told = append(told, m)
				}
			}
			if len(told) == 0 {
				return fmt.Errorf("no decision message")
			}
			return nil
		})
		m := told[0]
		if len(told) != 1 || m["object_id"] != id || !strings.Contains(m["title"].(string), "【入库】安宁玫瑰") ||
			!strings.Contains(m["body"].(string), "纳入昆明市市级劳务品牌项目库") {
			t.Errorf("decision messages %v, want one telling of the admission", told)
		}
		for who, tok := range map[string]string{"county": a.anning, "city": a.city} {
			if n := countKind(inbox(t, s, tok), "decision"); n != 0 {
				t.Errorf("the %s's inbox has %d of the holder's decision messages", who, n)
			}
		}
	})
	t.Run("visibility: the Temporal UI finds it by stage and county", func(t *testing.T) {
		testenv.Eventually(t, time.Minute, "a visibility query finds the application admitted in 530181", func() error {
			resp, err := s.Temporal.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: fmt.Sprintf("Stage = 'admitted' AND CountyCode = '530181' AND WorkflowId = '%s'", workflows.ApplicationWorkflowID(id))})
			if err == nil && len(resp.Executions) != 1 {
				err = fmt.Errorf("%d executions found", len(resp.Executions))
			}
			return err
		})
	})
	t.Run("a decision on the finished application is 409 with its stage", func(t *testing.T) {
		testenv.Eventually(t, time.Minute, "the application's process ends once admission is recorded", func() error {
			d, err := s.Temporal.DescribeWorkflowExecution(context.Background(), workflows.ApplicationWorkflowID(id), "")
			if err == nil && d.WorkflowExecutionInfo.CloseTime == nil {
				err = fmt.Errorf("still %v", d.WorkflowExecutionInfo.Status)
			}
			return err
		})
		r := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/city-review", a.city, map[string]any{"decision": "approve"}), 409, "after admission")
		if d, _ := r["error"].(map[string]any)["details"].(map[string]any); d["stage"] != "admitted" {
			t.Errorf("details %v, want stage admitted", r["error"])
		}
	})
}

func waitStage(t *testing.T, s *stacktest.Stack, token, id, stage string, within time.Duration) map[string]any {
	t.Helper()
	var last map[string]any
	testenv.Eventually(t, within, "application "+id+" reaches stage "+stage, func() error {
		r := s.Do("GET", "/api/v1/applications/"+id, token, nil)
		if r.Status != 200 {
			return fmt.Errorf("status %d: %.300s", r.Status, r.Body)
		}
		last = r.Map(t)
		if last["stage"] != stage {
			return fmt.Errorf("stage %v", last["stage"])
		}
		return nil
	})
	return last
}

// 第十一条 "筛选出符合条件的", RULES §2 the gate, over HTTP: an approval while a
// criterion is not met is 422 eligibility_not_met with details.criteria;
// the county may still return it. 第九条（五）: a 非遗 enterprise's trainees
// are relaxed with a reason in `relaxations`.
func Test第十一条_ApprovalGatedOnEligibilityOverHTTP(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)

	short := demo.Rose().With("direct_employees", 1000) // 超过1000人: 1000 is not met (第八条（二）)
	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, short), 201, "submit")
	path := "/api/v1/applications/" + app["id"].(string)
	e := errorOf(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "approve", "opinion": "同意"}), 422, "approve while not met")
	if e["code"] != "eligibility_not_met" || fmt.Sprint(e["details"].(map[string]any)["criteria"]) != "[direct_employees]" {
		t.Errorf("error %v, want eligibility_not_met naming direct_employees", e)
	}
	r := s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "approve", "opinion": "同意",
		"relaxations": []map[string]string{{"criterion": "direct_employees", "reason": "差一人"}}})
	if f := errorOf(t, r, 422, "relax a criterion the scheme does not let be relaxed"); fmt.Sprint(f["fields"]) == "" {
		t.Errorf("error %v names no field", f)
	}
	v := expect(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "return", "opinion": "请核实直接从业人员人数"}), 200, "return")
	if v["stage"] != "returned" {
		t.Errorf("stage %v, want returned", v["stage"])
	}

	shilin := stacktest.Token(t, auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"})
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-embroidery", Role: auth.Applicant, USCC: demo.Embroidery()["uscc"].(string)})
	app = expect(t, s.Do("POST", "/api/v1/applications", holder, demo.Embroidery()), 201, "submit 非遗")
	path = "/api/v1/applications/" + app["id"].(string)
	errorOf(t, s.Do("POST", path+"/county-review", shilin, map[string]any{"decision": "approve", "opinion": "同意"}), 422, "非遗 without the relaxation")
	v = expect(t, s.Do("POST", path+"/county-review", shilin, map[string]any{"decision": "approve", "opinion": "同意推荐",
		"relaxations": demo.Embroidery().Relaxations()}), 200, "非遗 with the relaxation")
	if v["stage"] != "city_review" {
		t.Errorf("stage %v, want city_review", v["stage"])
	}
}

// addZone points the functional zone 昆明高新区 (530199) at 西山区's
// bureau (530112), as an operator adds one to review_units (RULES §1), and
// returns a 西山区 officer's token.
func addZone(t *testing.T, s *stacktest.Stack) string {
	t.Helper()
	if _, err := s.Store.Pool().Exec(context.Background(),
		`INSERT INTO review_units (county_code, name, reviewer_code) VALUES ('530199', '昆明高新区', '530112')`); err != nil {
		t.Fatal(err)
	}
	return stacktest.Token(t, auth.Principal{Sub: "officer-xishan", Role: auth.CountyOfficer, County: "530112"})
}

// zoneApplicant is a holder in 昆明高新区 (its token) and its 推荐表.
func zoneApplicant(t *testing.T) (string, demo.Form) {
	uscc := demo.USCC("5153019900000009")
	return stacktest.Token(t, auth.Principal{Sub: "holder-zone", Role: auth.Applicant, USCC: uscc}),
		demo.Rose().With("brand_name", "昆明高新区软件测试师", "county_code", "530199", "uscc", uscc)
}

// admitZoneBrand takes zoneApplicant's application through the procedure —
// the 初审 by bureau (a token), three experts' opinions, the 复审, the notice
// — and returns its brand once the brand's process has recorded it.
func admitZoneBrand(t *testing.T, s *stacktest.Stack, a actors, bureau string) string {
	t.Helper()
	holder, f := zoneApplicant(t)
	path := "/api/v1/applications/" + expect(t, s.Do("POST", "/api/v1/applications", holder, f), 201, "submit in a zone")["id"].(string)
	expect(t, s.Do("POST", path+"/county-review", bureau, map[string]any{"decision": "approve", "opinion": "同意"}), 200, "初审")
	for _, e := range expect(t, s.Do("POST", path+"/expert-draw", a.city, map[string]any{"count": 5}), 200, "draw")["experts"].([]any)[:3] {
		tok := stacktest.Token(t, auth.Principal{Sub: e.(map[string]any)["id"].(string), Role: auth.Expert})
		expect(t, s.Do("POST", path+"/expert-opinions", tok, map[string]any{"score": 88, "recommend": true, "comment": "特色鲜明"}), 200, "opinion")
	}
	expect(t, s.Do("POST", path+"/city-review", a.city, map[string]any{"decision": "approve", "opinion": "同意公示"}), 200, "复审")
	brand := waitStage(t, s, a.city, strings.TrimPrefix(path, "/api/v1/applications/"), "admitted", 3*time.Minute)["brand_id"].(string)
	testenv.Eventually(t, time.Minute, "the brand's process records its admission", func() error {
		if r := s.Do("GET", "/api/v1/brands/"+brand, a.city, nil); r.Status != 200 {
			return fmt.Errorf("status %d", r.Status)
		}
		return nil
	})
	return brand
}

// 第十一条, RULES §1 Decision: the 初审 unit is a table. A functional zone
// added to it (here 昆明高新区, mapped to 西山区's bureau) is reviewed by the
// bureau it is mapped to — its queue lists the task and only its officers
// decide — with no code change.
func Test第十一条_FunctionalZoneReviewedByItsBureau(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	xishan := addZone(t, s)
	holder, f := zoneApplicant(t)
	id := expect(t, s.Do("POST", "/api/v1/applications", holder, f), 201, "submit in a zone")["id"].(string)

	testenv.Eventually(t, time.Minute, "西山区's queue lists the zone's 初审", func() error {
		tasks := expect(t, s.Do("GET", "/api/v1/tasks", xishan, nil), 200, "tasks")
		if !strings.Contains(fmt.Sprint(tasks["items"]), id) {
			return fmt.Errorf("tasks %v", tasks["items"])
		}
		return nil
	})
	errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning, map[string]any{"decision": "approve", "opinion": "同意"}), 403, "another bureau")
	v := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", xishan, map[string]any{"decision": "approve", "opinion": "同意"}), 200, "the mapped bureau")
	if v["stage"] != "city_review" {
		t.Errorf("stage %v", v["stage"])
	}
}

// RULES §1 Decision: a functional zone's brand, once admitted, stays with
// the bureau that reviewed it — its officers read it, find it in their
// list, act on it, and its deadlines are in their queue — and another
// county's officers do none of that.
func Test第十一条_AFunctionalZonesBrandStaysWithItsBureau(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 10000)})
	a := tokens(t)
	seedPool(t, s, a)
	xishan := addZone(t, s)
	brand := admitZoneBrand(t, s, a, xishan)
	brandPath := "/api/v1/brands/" + brand

	expect(t, s.Do("GET", brandPath, xishan, nil), 200, "the bureau reads the zone's brand")
	errorOf(t, s.Do("GET", brandPath, a.anning, nil), 403, "another county reads it")
	if list := expect(t, s.Do("GET", "/api/v1/brands", xishan, nil), 200, "the bureau's brands"); !strings.Contains(fmt.Sprint(list["items"]), brand) {
		t.Errorf("the bureau's brand list lacks the zone's brand: %v", list["items"])
	}
	// The public catalogue's county is where a brand is, not who looks after it.
	for county, want := range map[string]bool{"530199": true, "530112": false} {
		raw := string(s.Do("GET", "/api/v1/public/brands?county="+county, "", nil).Body)
		if strings.Contains(raw, brand) != want {
			t.Errorf("the public catalogue of %s lists the zone's brand: %v, want %v", county, !want, want)
		}
	}
	finding := map[string]any{"reason": "logo_misuse", "description": "在非认定产品包装上使用劳务品牌标识"}
	errorOf(t, s.Do("POST", brandPath+"/findings", a.anning, finding), 403, "another county's finding")
	expect(t, s.Do("POST", brandPath+"/findings", xishan, finding), 200, "the bureau's finding")
	testenv.Eventually(t, time.Minute, "the rectification's deadline in the bureau's queue", func() error {
		if tasks := expect(t, s.Do("GET", "/api/v1/tasks", xishan, nil), 200, "tasks"); !strings.Contains(fmt.Sprint(tasks["items"]), brand) {
			return fmt.Errorf("tasks %v", tasks["items"])
		}
		return nil
	})
}

// 第十五条（五） and RULES §1 Decision: a functional zone's brand is
// announced under its zone — the public list and feed name the zone, as the
// printed announcement does, not a blank place.
func Test第十五条_AZonesBrandIsAnnouncedUnderItsZone(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 10000)})
	a := tokens(t)
	seedPool(t, s, a)
	xishan := addZone(t, s)
	brand := admitZoneBrand(t, s, a, xishan)
	brandPath := "/api/v1/brands/" + brand
	expect(t, s.Do("POST", brandPath+"/removal-report", xishan, map[string]any{"reasons": []string{"dissolved_or_inactive"},
		"description": "持有单位已注销"}), 200, "the bureau's removal report")
	expect(t, s.Do("POST", brandPath+"/removal-decision", a.city, map[string]any{"remove": true, "reason": "同意移出"}), 200, "removal decision")
	items := expect(t, s.Do("GET", "/api/v1/public/announcements?brand_id="+brand, "", nil), 200, "announcements")["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("announcements %v", items)
	}
	if got := items[0].(map[string]any)["county_name"]; got != "昆明高新区" {
		t.Errorf("the announcement's county %q, want the zone's name 昆明高新区", got)
	}
	if feed := string(s.Do("GET", "/api/v1/public/announcements.atom", "", nil).Body); !strings.Contains(feed, "昆明高新区") {
		t.Errorf("the feed does not name the zone: %.600s", feed)
	}
}

// RULES §3: a resubmission supplements the same holder's application to the
// same county — changing the county or the USCC is refused (422) and stores
// no revision; nor does one the process refuses (resubmitted already: 409).
func TestDecision_Resubmission_KeepsCountyAndHolder(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id
	expect(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "return", "opinion": "请补充材料"}), 200, "return")
	e := errorOf(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("county_code", "530102")), 422, "another county")
	if f := failingFields(e); fmt.Sprint(f) != "[county_code]" {
		t.Errorf("another county: fields %v, want [county_code]", f)
	}
	// The city resubmits only what it entered (代录): not the holder's own
	// (403), and its own not under another holder's code (a holder can only
	// write its own: 403 before).
	errorOf(t, s.Do("POST", path+"/resubmit", a.city, demo.Rose()), 403, "the city, on the holder's own application")
	entered := "/api/v1/applications/" + expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Embroidery()), 201, "代录")["id"].(string)
	shilin := stacktest.Token(t, auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"})
	expect(t, s.Do("POST", entered+"/county-review", shilin, map[string]any{"decision": "return", "opinion": "请补充材料"}), 200, "return the 代录")
	e = errorOf(t, s.Do("POST", entered+"/resubmit", a.city, demo.Embroidery().With("uscc", demo.USCC("5153012600000007"))), 422, "the 代录 under another holder's code")
	if f := failingFields(e); fmt.Sprint(f) != "[uscc]" {
		t.Errorf("the 代录 under another code: fields %v, want [uscc]", f)
	}
	v := expect(t, s.Do("GET", path, a.anning, nil), 200, "view")
	if v["stage"] != "returned" || v["form_revision"] != float64(1) {
		t.Errorf("after refused resubmissions: stage %v, revision %v; want returned, 1", v["stage"], v["form_revision"])
	}
	expect(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("trainees_two_years", 5600)), 200, "a proper resubmission")
	// Refused by the process (no longer returned): its revision goes too.
	errorOf(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("trainees_two_years", 5700)), 409, "resubmitted again in 初审")
	rows, _ := s.Store.Pool().Query(context.Background(), `SELECT revision FROM application_forms WHERE application_id = $1 ORDER BY revision`, id)
	stored, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil || fmt.Sprint(stored) != "[1 2]" {
		t.Errorf("revisions stored %v (%v), want [1 2]: the refused one removed", stored, err)
	}
}

// RULES §2 the gate: an officer who reviews the form its page showed —
// the console sends its revision — is refused when a return and a
// resubmission have replaced it since (409 form_changed, the revision in
// force in the details): its unmet criteria and the criteria it confirms
// are the old form's. Reviewed on the form in force, it is taken.
func TestDecision_AReviewOfAFormReplacedSinceIsRefused(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id
	expect(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "return", "opinion": "请补充材料", "form_revision": 1}), 200, "return")
	expect(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("trainees_two_years", 5600)), 200, "resubmitted")
	e := errorOf(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "approve", "opinion": "同意", "form_revision": 1}), 409,
		"an approval of the first revision, the page left open")
	if d, _ := e["details"].(map[string]any); e["code"] != "form_changed" || d["form_revision"] != float64(2) {
		t.Errorf("refusal %v, want form_changed naming revision 2", e)
	}
	expect(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "approve", "opinion": "同意", "form_revision": 2}), 200,
		"an approval of the revision in force")
}

// RULES §3 (第十五条（四）, one name one brand): a resubmission is checked as
// a submission is — under a name still banned, or a name another open
// application holds, it is refused with 409 naming the brand name, and no
// revision is stored; the application stays returned and can still be
// resubmitted properly. Guards the hole of issue 17 item 2: a resubmission
// that skipped these checks (the held name made the recording activity
// retry for a year, and the API answered 503 with the process stuck).
func TestDecision_Resubmission_RechecksBanAndName(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO bans (brand_name, name_key, uscc, decided_on, until, reason)
		VALUES ('安宁禁用月嫂', $1, $2, '2025-01-06', '2030-01-06', 'removal')`,
		namekey.Key("安宁禁用月嫂"), demo.USCC("5153018100000031")); err != nil {
		t.Fatal(err)
	}
	expect(t, s.Do("POST", "/api/v1/applications", a.city, demo.Rose().With("brand_name", "安宁玫瑰花农",
		"uscc", demo.USCC("5153018100000032"))), 201, "another open application")
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id
	expect(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "return", "opinion": "请补充材料"}), 200, "return")

	e := errorOf(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("brand_name", "安宁 禁用月嫂")), 409, "a banned name")
	if d, _ := e["details"].(map[string]any); d["banned_name"] != "安宁禁用月嫂" || d["banned_until"] != "2030-01-06" {
		t.Errorf("banned name: details %v, want the ban's name and last day", e["details"])
	}
	if msg, _ := e["message"].(string); !strings.Contains(msg, "品牌名称") {
		t.Errorf("banned name: message %q does not name the brand name", msg)
	}
	e = errorOf(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("brand_name", "安宁玫瑰花农")), 409, "a name another application holds")
	if msg, _ := e["message"].(string); !strings.Contains(msg, "品牌名称") || !strings.Contains(msg, "正在办理的申请") {
		t.Errorf("held name: message %q does not say the brand name is held by an open application", msg)
	}

	v := expect(t, s.Do("GET", path, a.anning, nil), 200, "view")
	if v["stage"] != "returned" || v["form_revision"] != float64(1) || v["brand_name"] != "安宁玫瑰" {
		t.Errorf("after refused resubmissions: stage %v, revision %v, name %v; want returned, 1, 安宁玫瑰", v["stage"], v["form_revision"], v["brand_name"])
	}
	var revisions int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM application_forms WHERE application_id = $1`, id).Scan(&revisions); err != nil {
		t.Fatal(err)
	}
	if revisions != 1 {
		t.Errorf("%d form revisions stored, want only the submitted one", revisions)
	}
	v = expect(t, s.Do("POST", path+"/resubmit", a.holder, demo.Rose().With("trainees_two_years", 5600)), 200, "a proper resubmission")
	if v["stage"] != "county_review" || v["form_revision"] != float64(2) {
		t.Errorf("after the proper resubmission: stage %v, revision %v", v["stage"], v["form_revision"])
	}
}
