package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/starter"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// inNotice takes a fresh application of f through 初审 and 复审 into its 公示
// and returns its id.
func inNotice(t *testing.T, s *stacktest.Stack, a actors, f demo.Form) string {
	t.Helper()
	holder := stacktest.Token(t, auth.Principal{Sub: "holder-" + f["uscc"].(string), Role: auth.Applicant, USCC: f["uscc"].(string)})
	county := stacktest.Token(t, auth.Principal{Sub: "officer-" + f["county_code"].(string), Role: auth.CountyOfficer, County: f["county_code"].(string)})
	id := expect(t, s.Do("POST", "/api/v1/applications", holder, f), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id
	expect(t, s.Do("POST", path+"/county-review", county, map[string]any{"decision": "approve", "opinion": "同意"}), 200, "初审")
	view := expect(t, s.Do("POST", path+"/expert-draw", a.city, map[string]any{"count": 5}), 200, "draw")
	for _, e := range view["experts"].([]any)[:3] {
		tok := stacktest.Token(t, auth.Principal{Sub: e.(map[string]any)["id"].(string), Role: auth.Expert})
		expect(t, s.Do("POST", path+"/expert-opinions", tok, map[string]any{"score": 85, "recommend": true}), 200, "opinion")
	}
	view = expect(t, s.Do("POST", path+"/city-review", a.city, map[string]any{"decision": "approve", "opinion": "同意公示"}), 200, "复审")
	if view["stage"] != "public_notice" {
		t.Fatalf("stage %v, want public_notice", view["stage"])
	}
	return id
}

// mailedObjection is objection n as mailed: postmarked and received on
// 2026-03-02, the first day of inNotice's notice on that clock.
func mailedObjection(n int) map[string]any {
	o := objection(n)
	o["postmarked_on"], o["received_on"] = "2026-03-02", "2026-03-02"
	return o
}

// upheld has the city uphold objection oid, and waits for the
// application's rejection (第十三条).
func upheld(t *testing.T, s *stacktest.Stack, a actors, id, oid string) {
	t.Helper()
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/objections/"+oid+"/ruling", a.city,
		map[string]any{"upheld": true, "reason": "经核查，部分种植户确未纳入协会管理"}), 200, "upheld")
	waitStage(t, s, a.supervisor, id, "rejected", time.Minute)
}

func objection(n int) map[string]any {
	return map[string]any{"name": fmt.Sprintf("异议人%d", n), "contact": "13900001111",
		"content": fmt.Sprintf("第%d份异议：部分种植户未纳入协会管理", n), "evidence": "村委会证明一份"}
}

// 第十三条, RULES §3 objections: a mailed objection's postmark decides
// whether it was filed within the notice; its receipt by the bureau starts
// the ruling clock — 10 working days from the day after receipt.
func Test第十三条_MailedObjectionCountsFromReceipt(t *testing.T) {
	// One wall second is ~2.8 business hours: a business day passes in ~9 s.
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 10000)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose()) // notice 2026-03-02 … 03-06
	testenv.Eventually(t, time.Minute, "business day 2026-03-04", func() error {
		if today := expect(t, s.Do("GET", "/api/v1/clock", "", nil), 200, "clock")["today"]; today.(string) < "2026-03-04" {
			return fmt.Errorf("today is %v", today)
		}
		return nil
	})
	mailed := objection(1)
	mailed["postmarked_on"], mailed["received_on"] = "2026-03-03", "2026-03-04"
	receipt := expect(t, s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, mailed), 201, "mailed objection")
	// 10 working days after 03-04 is 03-18; counted from the postmark it would be 03-17.
	if receipt["postmarked_on"] != "2026-03-03" || receipt["received_on"] != "2026-03-04" || receipt["ruling_due"] != "2026-03-18" {
		t.Errorf("receipt %v, want postmarked 03-03, received 03-04, ruling due 03-18", receipt)
	}
	late := objection(2)
	late["postmarked_on"], late["received_on"] = "2026-03-01", "2026-03-04"
	e := errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, late), 409, "postmarked before the notice")
	if e["code"] != "outside_notice_period" {
		t.Errorf("error %v, want outside_notice_period", e)
	}
	early := objection(3)
	early["postmarked_on"], early["received_on"] = "2026-03-04", "2026-03-03"
	if f := failingFields(errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, early), 422, "received before its postmark")); fmt.Sprint(f) != "[received_on]" {
		t.Errorf("fields %v, want [received_on]", f)
	}
}

// RULES §3 objections: no number of objections can wedge the process. The
// public files thousands of objections to one application in 公示; the
// process hears of one day of receipt, not of each; the city rules each one
// and can still decide the application — no 5xx anywhere on the way.
func TestDecision_Objections_ThousandsNeverWedgeTheProcess(t *testing.T) {
	n := 10000
	if testing.Short() {
		t.Skip("files 10,000 objections")
	}
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/applications/" + id

	ids := make([]string, n)
	var fivexx atomic.Int64
	each := func(work func(i int) int) {
		var wg sync.WaitGroup
		next := atomic.Int64{}
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
					if status := work(i); status >= 500 {
						fivexx.Add(1)
					}
				}
			}()
		}
		wg.Wait()
	}
	start := time.Now()
	each(func(i int) int {
		r := s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(i))
		if r.Status == 201 {
			ids[i] = r.Map(t)["id"].(string)
		}
		return r.Status
	})
	filed := time.Since(start)
	var missing int
	for _, oid := range ids {
		if oid == "" {
			missing++
		}
	}
	if missing > 0 || fivexx.Load() > 0 {
		t.Fatalf("%d of %d objections not stored, %d answers 5xx", missing, n, fivexx.Load())
	}

	start = time.Now()
	each(func(i int) int {
		return s.Do("POST", path+"/objections/"+ids[i]+"/ruling", a.city, map[string]any{"upheld": false, "reason": "经核查不成立"}).Status
	})
	ruled := time.Since(start)
	if fivexx.Load() > 0 {
		t.Fatalf("%d rulings answered 5xx", fivexx.Load())
	}
	view := expect(t, s.Do("GET", path, a.city, nil), 200, "view")
	if view["objections_total"] != float64(n) || view["objections_open"] != float64(0) || view["stage"] != "public_notice" {
		t.Errorf("view: total %v, open %v, stage %v; want %d, 0, public_notice", view["objections_total"], view["objections_open"], view["stage"], n)
	}
	var st workflows.StateView
	q, err := s.Temporal.QueryWorkflow(context.Background(), workflows.ApplicationWorkflowID(id), "", workflows.QueryState)
	if err == nil {
		err = q.Get(&st)
	}
	if err != nil || len(st.ObjectionDays) != 1 || st.ObjectionDays[0].Open {
		t.Errorf("process: %v %+v; want one day of receipt, closed", err, st.ObjectionDays)
	}
	d, err := s.Temporal.DescribeWorkflowExecution(context.Background(), workflows.ApplicationWorkflowID(id), "")
	if err != nil {
		t.Fatal(err)
	}
	history := d.WorkflowExecutionInfo.HistoryLength
	if history > 200 {
		t.Errorf("the process's history has %d events after %d objections: it took them one by one", history, n)
	}

	// The city can still decide: one more objection, upheld, rejects the application.
	last := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(n)), 201, "one more")
	view = expect(t, s.Do("POST", path+"/objections/"+last["id"].(string)+"/ruling", a.city, map[string]any{"upheld": true, "reason": "经核查属实"}), 200, "upheld")
	if view["stage"] != "rejected" {
		t.Errorf("stage %v after an upheld objection, want rejected", view["stage"])
	}
	t.Logf("%d objections filed in %v, ruled in %v; the process's history has %d events", n, filed.Round(time.Millisecond), ruled.Round(time.Millisecond), history)
}

// 第十三条 and RELIABILITY (a retried request is applied once): a mailed
// objection the city enters is stored before its process hears of its day.
// When the process cannot be told (here: it is gone), the answer is a 503 and
// the objection stays; the officer's retry with the same Idempotency-Key is
// the same objection, not a second one to rule on. So is the public's same
// filing sent again the same day (RULES §3: identical filings are merged),
// which the public gate's memory forgets after a 503.
func Test第十三条_AnObjectionRetriedAfterA503IsStoredOnce(t *testing.T) {
	// Real time: every filing and its retry on 2026-03-02, the notice's first day.
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Timeout: 3 * time.Second,
		Public: api.PublicLimits{DuplicateWindow: time.Hour}}) // merging on, as deployed
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	ctx := context.Background()
	if err := s.Temporal.TerminateWorkflow(ctx, workflows.ApplicationWorkflowID(id), "", "test: the process cannot be told"); err != nil {
		t.Fatal(err)
	}
	mailed := mailedObjection(1)
	for try := 1; try <= 2; try++ {
		expect(t, s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, mailed, "Idempotency-Key", "mail-1"), 503, fmt.Sprintf("mailed, try %d", try))
		expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(2)), 503, fmt.Sprintf("public, try %d", try))
	}
	var n int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM objections WHERE application_id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d objections stored after a mailed and a public one were each tried twice, want 2", n)
	}
}

// RULES §3 (rate-limited per application): a public objection stored whose
// process could not be told (503) is counted against the application as
// one answered 201 is — the starter's sweep tells it later, and the city
// rules on it. Before, its token was given back: while Temporal was away
// only the clients' limits bounded what was stored.
func Test第十三条_AnObjectionStoredAndAnswered503CountsAgainstTheApplication(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Timeout: 3 * time.Second,
		Public: api.PublicLimits{PerTarget: api.Rate{N: 2, Per: time.Hour}, DuplicateWindow: time.Hour}}) // merging on, as deployed
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	if err := s.Temporal.TerminateWorkflow(context.Background(), workflows.ApplicationWorkflowID(id), "", "test: the process cannot be told"); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/public/applications/" + id + "/objections"
	expect(t, s.Do("POST", path, "", objection(1)), 503, "objection 1, stored, its process not told")
	// Sent again: on record already, so not counted again (nor merged at
	// the gate, which remembers only an answered receipt).
	expect(t, s.Do("POST", path, "", objection(1)), 503, "objection 1 sent again")
	expect(t, s.Do("POST", path, "", objection(2)), 503, "objection 2, stored, its process not told")
	errorOf(t, s.Do("POST", path, "", objection(3)), 429, "a third on an application limited to two an hour")
}

// 第十三条 and RULES §3 (identical filings are one): the public's objection
// sent again the same day, where the gate's memory does not reach (its
// window a millisecond here: another replica, a restart), is the one on
// record and answered as merged — 200, Duplicate-Of-Earlier, its receipt.
func Test第十三条_AnObjectionFiledAgainOnItsDayIsAnsweredAsMerged(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Public: api.PublicLimits{DuplicateWindow: time.Millisecond}})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/public/applications/" + id + "/objections"
	first := expect(t, s.Do("POST", path, "", objection(1)), 201, "the objection")
	time.Sleep(10 * time.Millisecond)
	r := s.Do("POST", path, "", objection(1))
	again := expect(t, r, 200, "the same objection again, merged")
	if again["id"] != first["id"] || r.Header.Get("Duplicate-Of-Earlier") != "true" {
		t.Errorf("filed again: %v (Duplicate-Of-Earlier %q), want the first receipt %v", again, r.Header.Get("Duplicate-Of-Earlier"), first["id"])
	}
}

// 第十三条 and API.md idempotency: a mailed objection the city entered, its
// answer lost, is the one on record when the officer retries — though the
// application has left the notice since (an upheld objection rejected it):
// answered with its receipt, not refused 409 for the stage. Another
// objection under the key is still refused.
func Test第十三条_AMailedObjectionRetriedAfterTheNoticeIsTheOneOnRecord(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	mailed := mailedObjection(1)
	send := func(body map[string]any) stacktest.Response {
		return s.Do("POST", "/api/v1/applications/"+id+"/objections", a.city, body, "Idempotency-Key", "mail-9")
	}
	loseAnswer := func() {
		t.Helper()
		if _, err := s.Store.Pool().Exec(context.Background(), `DELETE FROM idempotency_keys WHERE key = 'mail-9'`); err != nil {
			t.Fatal(err)
		}
	}
	receipt := expect(t, send(mailed), 201, "the mailed objection")
	upheld(t, s, a, id, receipt["id"].(string))
	loseAnswer()
	again := expect(t, send(mailed), 201, "the officer's retry after the application was rejected")
	if again["id"] != receipt["id"] || again["ruling_due"] != receipt["ruling_due"] {
		t.Errorf("the retry answered %v, want the receipt on record %v", again, receipt)
	}
	loseAnswer()
	errorOf(t, send(objection(2)), 422, "another objection under the key")
}

// 第十三条 and RELIABILITY: an objection is stored before its process hears
// of its day; an API that stops between the two (or a 503 never retried)
// leaves it stored and unknown to the process. The starter's sweep tells
// the day as the API would have — the objection opens with its ruling
// clock — and drops the drafts of a day the process refuses.
func Test第十三条_AnObjectionTheAPIStoredAndNeverToldIsToldByTheStartersSweep(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	ctx := context.Background()
	var start string
	if err := s.Store.Pool().QueryRow(ctx, `SELECT to_char(notice_start, 'YYYY-MM-DD') FROM applications WHERE id = $1`, id).Scan(&start); err != nil {
		t.Fatal(err)
	}
	file := func(oid, received string) {
		t.Helper()
		if _, err := s.Store.FileObjection(ctx, store.ObjectionDraft{ID: oid, ApplicationID: id, Via: "public", ReceivedOn: received,
			Name: "孙立", Contact: "13900001111", Content: "种植面积与公示不符", Evidence: "照片", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	file("O-stranded", start)      // the API stopped before telling the day
	file("O-before", "2026-02-27") // before the notice: the process refuses its day
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default()}
	told, err := st.SweepObjectionDays(ctx, 0)
	if told != 1 || err != nil {
		t.Fatalf("the sweep told %d days (%v), want 1", told, err)
	}
	var status, due string
	if err := s.Store.Pool().QueryRow(ctx, `SELECT status, coalesce(to_char(ruling_due, 'YYYY-MM-DD'), '') FROM objections WHERE id = 'O-stranded'`).
		Scan(&status, &due); err != nil {
		t.Fatal(err)
	}
	if status != "open" || due == "" {
		t.Errorf("the stranded objection is %s, ruling due %q; want open with its day's ruling deadline", status, due)
	}
	var before int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM objections WHERE id = 'O-before'`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if before != 0 {
		t.Error("the draft of a day the process refused is still stored")
	}
	v := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.city, nil), 200, "the application")
	if !strings.Contains(fmt.Sprint(v["deadlines"]), "objection_day:"+start) {
		t.Errorf("the process keeps no ruling clock for %s: deadlines %v", start, v["deadlines"])
	}
	if told, err := st.SweepObjectionDays(ctx, 0); told != 0 || err != nil {
		t.Errorf("a second sweep told %d days (%v), want none", told, err)
	}
}

// 第十三条 and RELIABILITY: a draft left behind by an application whose
// process is over can never be told, and its filer was answered with an
// error, never a receipt: the sweep drops it, with its day, once the grace
// the API has to finish its own telling has passed — not before. A county's
// rejection stands here for any end of the process.
func Test第十三条_ADraftOfAProcessThatIsOverIsDroppedByTheSweepAfterItsGrace(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	expect(t, s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning,
		map[string]any{"decision": "reject", "opinion": "不符合第八条条件"}), 200, "初审不予推荐")
	ctx := context.Background()
	// Stamped as the API stamps a draft: on the business clock.
	file := func(oid, received string) {
		t.Helper()
		if _, err := s.Store.FileObjection(ctx, store.ObjectionDraft{ID: oid, ApplicationID: id, Via: "public", ReceivedOn: received,
			Name: "孙立", Contact: "13900001111", Content: "种植面积与公示不符", Evidence: "照片", CreatedAt: s.Clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	file("O-left", "2026-03-02")
	// An objection its process took, on another day, is on record for good.
	file("O-taken", "2026-03-01")
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE objections SET status = 'open' WHERE id = 'O-taken'`); err != nil {
		t.Fatal(err)
	}
	stored := func() (drafts, taken, days int) {
		t.Helper()
		if err := s.Store.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM objections WHERE application_id = $1 AND status = 'draft'),
			(SELECT count(*) FROM objections WHERE application_id = $1 AND status = 'open'),
			(SELECT count(*) FROM objection_days WHERE application_id = $1)`, id).Scan(&drafts, &taken, &days); err != nil {
			t.Fatal(err)
		}
		return drafts, taken, days
	}
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default(), At: s.Clock.At}
	if _, err := st.SweepObjectionDays(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if d, o, days := stored(); d != 1 || o != 1 || days != 2 {
		t.Fatalf("within the grace the sweep left %d drafts, %d objections taken and %d days; want 1, 1 and 2", d, o, days)
	}
	time.Sleep(10 * time.Millisecond) // the draft is now older than a grace of none
	if _, err := st.SweepObjectionDays(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if d, o, days := stored(); d != 0 || o != 1 || days != 1 {
		t.Errorf("after the grace the sweep left %d drafts, %d objections taken and %d days; want 0, 1 and 1 (the taken one's)", d, o, days)
	}
}

// 第十三条 and RULES §3 (admitted only once every objection is ruled): an
// objection received on a day whose objections were all ruled — the day's
// clock closed — opens it again, so the city's queue has its ruling and the
// notice's end waits for it. Before, it was stored open and the process
// never heard of it: the application could be admitted over it. The ruled
// objection itself sent again (found on record: the gate's memory is a
// millisecond here) is merged and opens nothing — its day could never close.
func Test第十三条_AnObjectionAfterItsDaysOthersWereRuledOpensTheDayAgain(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Public: api.PublicLimits{DuplicateWindow: time.Millisecond}})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/applications/" + id
	rulingOpen := func() bool {
		t.Helper()
		for _, d := range expect(t, s.Do("GET", path, a.city, nil), 200, "view")["deadlines"].([]any) {
			if strings.HasPrefix(d.(map[string]any)["kind"].(string), "objection_day:") {
				return true
			}
		}
		return false
	}
	first := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(1)), 201, "the first objection")
	expect(t, s.Do("POST", path+"/objections/"+first["id"].(string)+"/ruling", a.city,
		map[string]any{"upheld": false, "reason": "经核查，不属实"}), 200, "dismissed")
	if rulingOpen() {
		t.Fatal("the day's clock is still open after its only objection was ruled")
	}
	time.Sleep(10 * time.Millisecond)
	again := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(1)), 200, "the ruled objection sent again, merged")
	if again["id"] != first["id"] || rulingOpen() {
		t.Errorf("the ruled objection sent again: %v, the day's clock open %v; want the first receipt and the clock closed", again["id"], rulingOpen())
	}
	second := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(2)), 201, "a second objection that day")
	if !rulingOpen() {
		t.Error("the second objection left the day's clock closed: the application could be admitted over it")
	}
	if v := expect(t, s.Do("GET", path, a.city, nil), 200, "view"); !historyHas(v, "该日此前的异议已全部裁定，又收到异议") {
		t.Errorf("the history does not say the day opened again: %v", v["history"])
	}
	expect(t, s.Do("POST", path+"/objections/"+second["id"].(string)+"/ruling", a.city,
		map[string]any{"upheld": false, "reason": "经核查，不属实"}), 200, "the second dismissed")
	if rulingOpen() {
		t.Error("the day's clock stays open after the second objection was ruled")
	}
}

// 第十三条 and RULES §3 (admitted only once every objection is ruled): an
// objection that came after its day's others were all ruled, stored by the
// API and never told (a 503 its filer did not retry), is told by the
// starter's sweep under the API's own Update ID: the day's clock opens
// again, and the objection is told once. Told by the API, it is never
// told again.
func Test第十三条_AnObjectionOnARuledDayNeverToldIsToldByTheStartersSweep(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/applications/" + id
	ctx := context.Background()
	rulingOpen := func() bool {
		t.Helper()
		return strings.Contains(fmt.Sprint(expect(t, s.Do("GET", path, a.city, nil), 200, "view")["deadlines"]), "objection_day:")
	}
	untold := func(oid string) bool {
		t.Helper()
		var untold bool
		if err := s.Store.Pool().QueryRow(ctx, `SELECT untold FROM objections WHERE id = $1`, oid).Scan(&untold); err != nil {
			t.Fatal(err)
		}
		return untold
	}
	first := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(1)), 201, "the first objection")
	expect(t, s.Do("POST", path+"/objections/"+first["id"].(string)+"/ruling", a.city,
		map[string]any{"upheld": false, "reason": "经核查，不属实"}), 200, "dismissed")
	received := first["received_on"].(string)
	day, err := s.Store.FileObjection(ctx, store.ObjectionDraft{ID: "O-untold", ApplicationID: id, Via: "public", ReceivedOn: received,
		Name: "孙立", Contact: "13900001111", Content: "种植面积与公示不符", Evidence: "照片", CreatedAt: time.Now()})
	if err != nil || !day.Reopens() || !untold("O-untold") {
		t.Fatalf("the objection after the day's last ruling: %+v (%v), untold %v; want stored open, reopening its day, untold", day, err, untold("O-untold"))
	}
	if rulingOpen() {
		t.Fatal("the day's clock opened before anyone told the process")
	}
	accepting := func(oid string) bool {
		t.Helper()
		for _, o := range expect(t, s.Do("GET", path, a.city, nil), 200, "view")["objections"].([]any) {
			if o := o.(map[string]any); o["id"] == oid {
				return o["accepting"] == true
			}
		}
		t.Fatalf("the view lists no objection %s", oid)
		return false
	}
	if !accepting("O-untold") {
		t.Error("the city's view does not show the untold objection as being accepted")
	}
	// Ruled now, the day would open after its ruling and never close.
	e := errorOf(t, s.Do("POST", path+"/objections/O-untold/ruling", a.city, map[string]any{"upheld": false, "reason": "经核查，不属实"}), 409, "ruling an untold one")
	if e["code"] != "objection_not_accepted" {
		t.Errorf("ruling an untold objection: %v, want objection_not_accepted", e)
	}
	// Another that day is not covered by the untold one: it too opens the
	// day again — or ruling the first would leave it with no clock.
	next, err := s.Store.FileObjection(ctx, store.ObjectionDraft{ID: "O-next", ApplicationID: id, Via: "public", ReceivedOn: received,
		Name: "孙立", Contact: "13900001111", Content: "带动就业人数不实", Evidence: "名单", CreatedAt: time.Now()})
	if err != nil || !next.Reopens() || !untold("O-next") {
		t.Fatalf("the next objection that day: %+v (%v), untold %v; want reopening its day, untold", next, err, untold("O-next"))
	}
	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default()}
	if told, err := st.SweepObjectionDays(ctx, 0); told != 2 || err != nil {
		t.Fatalf("the sweep told %d (%v), want 2", told, err)
	}
	if accepting("O-untold") {
		t.Error("the view shows the objection as being accepted after the sweep told it")
	}
	if !rulingOpen() || untold("O-untold") || untold("O-next") {
		t.Errorf("after the sweep the day's clock is open %v and the objections untold %v, %v; want open and told",
			rulingOpen(), untold("O-untold"), untold("O-next"))
	}
	if told, err := st.SweepObjectionDays(ctx, 0); told != 0 || err != nil {
		t.Errorf("a second sweep told %d (%v), want none", told, err)
	}
	for _, oid := range []string{"O-untold", "O-next"} {
		expect(t, s.Do("POST", path+"/objections/"+oid+"/ruling", a.city,
			map[string]any{"upheld": false, "reason": "经核查，不属实"}), 200, oid+" dismissed")
	}
	if rulingOpen() {
		t.Error("the day's clock is open after every objection of the day was ruled")
	}
	third := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(3)), 201, "a third, told by the API")
	if !rulingOpen() || untold(third["id"].(string)) {
		t.Errorf("the third objection: the day's clock open %v, untold %v; want open and told", rulingOpen(), untold(third["id"].(string)))
	}
}

// 第十三条 (an upheld objection rejects the application): a ruling upheld on
// record whose telling the process never got (its 503 not retried) is told
// with the next ruling of the application — the day's last dismissal then
// rejects, not admits. Here the upheld ruling is recorded as the API
// records it, and its Update never sent.
func Test第十三条_AnUpheldRulingTheProcessMissedIsToldWithTheNext(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/applications/" + id
	first := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(1)), 201, "the first objection")
	second := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(2)), 201, "the second")
	if _, err := s.Store.RecordRuling(context.Background(), store.ObjectionRuling{ApplicationID: id, ObjectionID: first["id"].(string),
		Upheld: true, Reason: "经核查属实", At: time.Now(), Actor: "city-taskforce", Role: "city_officer"}); err != nil {
		t.Fatal(err)
	}
	v := expect(t, s.Do("POST", path+"/objections/"+second["id"].(string)+"/ruling", a.city,
		map[string]any{"upheld": false, "reason": "经核查，不属实"}), 200, "the second dismissed")
	if v["stage"] != "rejected" {
		t.Errorf("stage %v after the day's last dismissal with an upheld objection on record, want rejected", v["stage"])
	}
}

// 第十三条: a 复审 approved on a day off starts its notice on the next working
// day, and the public list says so — an objection sent before that day is
// refused as outside the notice, and whoever reads the list is told when it
// may be sent.
func Test第十三条_ANoticeApprovedOnADayOffSaysWhenItBegins(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-07", 1)}) // a Saturday
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	items := expect(t, s.Do("GET", "/api/v1/public/notices", "", nil), 200, "notices")["items"].([]any)
	var how string
	for _, it := range items {
		if n := it.(map[string]any); n["application_id"] == id {
			how = n["how_to_object"].(string)
			if n["notice_start"] != "2026-03-09" {
				t.Errorf("notice starts %v, want Monday 2026-03-09", n["notice_start"])
			}
		}
	}
	if !strings.Contains(how, "公示自 2026-03-09 起（此前提出的不予受理）") {
		t.Errorf("how_to_object %q, want it to say the notice begins on 2026-03-09", how)
	}
	errorOf(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(1)), 409, "an objection on the Saturday")
}

// 第十三条 and RELIABILITY (nothing on record is left untold): a ruling
// the process acts on — the last open objection of a day dismissed, an
// objection upheld — is stored with the Update that tells it. When that
// telling fails (Temporal out of reach: here the API's client refuses the
// Update), the officer gets a 503, the ruling stays on record, and the
// starter's sweep tells it under the API's own Update ID: the day's clock
// closes, the upheld objection rejects. Before, the application waited in
// its notice or objection review for good unless someone sent the same
// ruling again, which no page offers.
func Test第十三条_ARulingWhoseTellingFailedIsToldByTheStartersSweep(t *testing.T) {
	c, err := client.Dial(client.Options{HostPort: testenv.TemporalAddress(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	refusing := &refusingUpdates{Client: c, name: workflows.UpdateObjectionsRuled}
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), APITemporal: refusing, Timeout: 5 * time.Second})
	a := tokens(t)
	seedPool(t, s, a)
	dismissedID := inNotice(t, s, a, demo.Rose())
	upheldID := inNotice(t, s, a, demo.Rose().With("brand_name", "安宁玫瑰园艺师", "uscc", demo.USCC("5153018100000041")))
	rulingOpen := func(id string) bool {
		t.Helper()
		return strings.Contains(fmt.Sprint(expect(t, s.Do("GET", "/api/v1/applications/"+id, a.city, nil), 200, "view")["deadlines"]), "objection_day:")
	}
	rule := func(id string, upheld bool) {
		t.Helper()
		o := expect(t, s.Do("POST", "/api/v1/public/applications/"+id+"/objections", "", objection(1)), 201, "an objection")
		refusing.on.Store(true)
		e := errorOf(t, s.Do("POST", "/api/v1/applications/"+id+"/objections/"+o["id"].(string)+"/ruling", a.city,
			map[string]any{"upheld": upheld, "reason": "经核查"}), 503, "a ruling whose telling fails")
		if msg, _ := e["message"].(string); !strings.Contains(msg, "裁定已记录") || !strings.Contains(msg, "无需重新裁定") {
			t.Errorf("the 503 says %q; want that the ruling is on record and needs no second ruling", msg)
		}
		refusing.on.Store(false)
	}
	rule(dismissedID, false)
	rule(upheldID, true)
	var stored int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM untold_updates WHERE record_kind = 'ruling'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 2 || !rulingOpen(dismissedID) || !rulingOpen(upheldID) {
		t.Fatalf("after the failed tellings: %d stored, clocks open %v %v; want 2 stored, both open", stored, rulingOpen(dismissedID), rulingOpen(upheldID))
	}

	st := &starter.Starter{Temporal: s.Temporal, Store: s.Store, TaskQueue: s.TaskQueue, Log: slog.Default(), Writes: s.Writer}
	if told, err := st.SweepUntold(context.Background(), 0); told != 2 || err != nil {
		t.Fatalf("the sweep told %d (%v), want 2", told, err)
	}
	if rulingOpen(dismissedID) {
		t.Error("the day's clock is still open after the sweep told its last ruling")
	}
	waitStage(t, s, a.supervisor, upheldID, "rejected", time.Minute)
	if told, err := st.SweepUntold(context.Background(), 0); told != 0 || err != nil {
		t.Errorf("a second sweep told %d (%v), want none", told, err)
	}
}

// refusingUpdates is a Temporal client that fails Update name while on is
// set, as a Temporal out of reach would.
type refusingUpdates struct {
	client.Client
	name string
	on   atomic.Bool
}

func (r *refusingUpdates) UpdateWorkflow(ctx context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	if r.on.Load() && o.UpdateName == r.name {
		return nil, serviceerror.NewUnavailable("Temporal out of reach (test)")
	}
	return r.Client.UpdateWorkflow(ctx, o)
}

// 第十三条 and API.md bad input: an objection is stored as it was counted —
// text padded with half a mebibyte of spaces around it passed the 5,000
// characters and was stored whole, into the city's view — and a date sent
// with a public filing is refused on the field that was sent.
func Test第十三条_AnObjectionIsStoredAsItWasCounted(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/public/applications/" + id + "/objections"
	padded := objection(1)
	pad := strings.Repeat(" \n", 100_000)
	padded["content"] = pad + "部分种植户未纳入协会管理" + pad
	padded["name"] = "  异议人1 "
	receipt := expect(t, s.Do("POST", path, "", padded), 201, "an objection padded with spaces")
	var name, content string
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT name, content FROM objections WHERE id = $1`, receipt["id"]).Scan(&name, &content); err != nil {
		t.Fatal(err)
	}
	if name != "异议人1" || content != "部分种植户未纳入协会管理" {
		t.Errorf("stored name %q and %d bytes of content; want them as counted, trimmed", name, len(content))
	}

	dated := objection(2)
	dated["postmarked_on"] = "2026-03-02"
	e := apiError(t, s.Do("POST", path, "", dated), 422, "validation_failed")
	if got := fieldNames(e); !slices.Equal(got, []string{"postmarked_on"}) {
		t.Errorf("a public filing with a postmark refused on %v, want [postmarked_on]", got)
	}
}
