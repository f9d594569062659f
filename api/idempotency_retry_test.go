package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
)

// API.md idempotency: a write whose transaction committed but whose answer
// was lost (the connection dropped on COMMIT's acknowledgement, a client
// that hung up mid-commit) answers 5xx, and the key is released so that the
// retry is processed. The retry must find the record of the first attempt,
// named by the same key, and not make a second round, expert, file or
// signed scan. The lost answer is played here by releasing the key, as the
// API does after a 5xx, once the first attempt's write is on record.
func TestIdempotency_ARecordWhoseAnswerWasLostIsNotMadeTwiceByTheRetry(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	ctx := context.Background()
	loseAnswer := func(t *testing.T, key string) {
		t.Helper()
		if _, err := s.Store.Pool().Exec(ctx, `DELETE FROM idempotency_keys WHERE key = $1`, key); err != nil {
			t.Fatal(err)
		}
	}
	count := func(t *testing.T, sql string, args ...any) int {
		t.Helper()
		var n int
		if err := s.Store.Pool().QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// retried posts once, loses the answer, posts again, and wants the same
	// record (by id) with 201 both times and no replay: the second answer
	// was made from what is on record.
	retried := func(t *testing.T, key string, post func() stacktest.Response) string {
		t.Helper()
		first := expect(t, post(), 201, "first attempt")
		loseAnswer(t, key)
		r := post()
		again := expect(t, r, 201, "the retry")
		if r.Header.Get("Idempotent-Replay") != "" {
			t.Fatalf("the retry was replayed from the key, which was released: the test proves nothing")
		}
		if first["id"] != again["id"] {
			t.Fatalf("the retry made %v, the first attempt %v", again["id"], first["id"])
		}
		return first["id"].(string)
	}

	t.Run("第十条: a round", func(t *testing.T) {
		body := map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}
		id := retried(t, "round-1", func() stacktest.Response {
			return s.Do("POST", "/api/v1/rounds", a.city, body, "Idempotency-Key", "round-1")
		})
		if n := count(t, `SELECT count(*) FROM rounds WHERE name = '2026年第一批'`); n != 1 {
			t.Errorf("%d rounds stored, want 1", n)
		}
		if n := count(t, `SELECT count(*) FROM audit_log WHERE action = 'round.create' AND object_id = $1`, id); n != 1 {
			t.Errorf("%d audit rows for the round, want 1", n)
		}
		// The key sent again with another round after the answer was lost
		// names the first round: refused, not answered with it.
		loseAnswer(t, "round-1")
		other := map[string]any{"name": "2026年第二批", "opens_on": "2026-05-01", "closes_on": "2026-05-31"}
		e := errorOf(t, s.Do("POST", "/api/v1/rounds", a.city, other, "Idempotency-Key", "round-1"), 422, "another round under the key")
		if got := failingFields(e); len(got) != 1 || got[0] != "Idempotency-Key" {
			t.Errorf("refused on %v, want Idempotency-Key", got)
		}
		// That refusal is not kept under the key: the first request's own
		// retry still finds its round.
		again := expect(t, s.Do("POST", "/api/v1/rounds", a.city, body, "Idempotency-Key", "round-1"), 201, "the first request retried after the refusal")
		if again["id"] != id {
			t.Errorf("the first request's retry got %v, want its round %s", again["id"], id)
		}
		// Hostile input: a key that is not text (bytes not UTF-8, which a
		// header may carry) is refused by its field, not a 500 from
		// PostgreSQL's refusal of it.
		e = errorOf(t, s.Do("POST", "/api/v1/rounds", a.city, other, "Idempotency-Key", "round-\xff"), 422, "a key not UTF-8")
		if got := failingFields(e); len(got) != 1 || got[0] != "Idempotency-Key" {
			t.Errorf("refused on %v, want Idempotency-Key", got)
		}
	})

	t.Run("an expert whose number the system gives", func(t *testing.T) {
		body := map[string]any{"name": "李四海", "specialties": []string{"resident_services"}, "county_code": "530102"}
		retried(t, "expert-1", func() stacktest.Response {
			return s.Do("POST", "/api/v1/experts", a.city, body, "Idempotency-Key", "expert-1")
		})
		if n := count(t, `SELECT count(*) FROM experts WHERE name = '李四海'`); n != 1 {
			t.Errorf("%d experts stored, want 1: a second would be drawn as another person (第十二条)", n)
		}
		loseAnswer(t, "expert-1")
		other := map[string]any{"name": "王五岳", "specialties": []string{"resident_services"}, "county_code": "530102"}
		errorOf(t, s.Do("POST", "/api/v1/experts", a.city, other, "Idempotency-Key", "expert-1"), 422, "another expert under the key")
		if n := count(t, `SELECT count(*) FROM experts WHERE name IN ('李四海', '王五岳')`); n != 1 {
			t.Errorf("%d experts stored after another was sent under the key, want 1", n)
		}
	})

	t.Run("an expert whose number the officer types", func(t *testing.T) {
		body := map[string]any{"id": "ZJ001", "name": "张三丰", "specialties": []string{"resident_services"}, "county_code": "530102"}
		retried(t, "expert-2", func() stacktest.Response {
			return s.Do("POST", "/api/v1/experts", a.city, body, "Idempotency-Key", "expert-2")
		})
		// Another expert under the number (two officers adding it at once,
		// or a number typed twice) is refused on the number and changes
		// nothing: 张三丰 is not turned into 李四 under ZJ001.
		other := map[string]any{"id": "ZJ001", "name": "李四", "specialties": []string{"manufacturing"}, "county_code": "530181"}
		e := errorOf(t, s.Do("POST", "/api/v1/experts", a.city, other, "Idempotency-Key", "expert-3"), 409, "another expert under a number taken")
		if f := failingFields(e); len(f) != 1 || f[0] != "id" {
			t.Errorf("refused on %v, want id", f)
		}
		if n := count(t, `SELECT count(*) FROM experts WHERE id = 'ZJ001' AND name = '张三丰' AND county_code = '530102'`); n != 1 {
			t.Errorf("ZJ001 is no longer 张三丰 of 530102 after another was added under its number")
		}
		if n := count(t, `SELECT count(*) FROM audit_log WHERE object_type = 'expert' AND object_id = 'ZJ001'`); n != 1 {
			t.Errorf("%d audit rows for ZJ001, want its creation alone", n)
		}
	})

	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose(), "Idempotency-Key", "submit-1"), 201, "submission")
	appID := app["id"].(string)

	t.Run("an application's file", func(t *testing.T) {
		body, ctype := namedUpload("概况.pdf")
		id := retried(t, "file-1", func() stacktest.Response {
			return s.Do("POST", "/api/v1/applications/"+appID+"/attachments", a.holder, body, "Content-Type", ctype, "Idempotency-Key", "file-1")
		})
		if n := count(t, `SELECT count(*) FROM attachments WHERE application_id = $1`, appID); n != 1 {
			t.Errorf("%d files stored, want 1", n)
		}
		if n := count(t, `SELECT count(*) FROM audit_log WHERE action = 'application.attach' AND after->>'id' = $1`, id); n != 1 {
			t.Errorf("%d audit rows for the file, want 1", n)
		}
		loseAnswer(t, "file-1")
		other, otherType := namedUpload("另一份概况.pdf")
		errorOf(t, s.Do("POST", "/api/v1/applications/"+appID+"/attachments", a.holder, other, "Content-Type", otherType, "Idempotency-Key", "file-1"),
			422, "another file under the key")
		// RULES §3: files are taken until the county's 初审 decision. Once
		// it is made, a new file is refused — but the first request's own
		// retry, its file on record, is answered with it.
		expect(t, s.Do("POST", "/api/v1/applications/"+appID+"/county-review", a.anning, map[string]any{"decision": "reject", "opinion": "不符合申报条件"}), 200, "初审")
		loseAnswer(t, "file-1")
		if again := expect(t, s.Do("POST", "/api/v1/applications/"+appID+"/attachments", a.holder, body, "Content-Type", ctype, "Idempotency-Key", "file-1"),
			201, "the first request retried after 初审"); again["id"] != id {
			t.Errorf("the retry after 初审 answered %v, want the file on record %s", again["id"], id)
		}
		errorOf(t, s.Do("POST", "/api/v1/applications/"+appID+"/attachments", a.holder, other, "Content-Type", otherType, "Idempotency-Key", "file-2"),
			409, "a new file after 初审")
	})

	t.Run("a signed scan of 附件1", func(t *testing.T) {
		fields := map[string]string{"signer": "张玫瑰", "signed_on": "2026-03-02", "seal_present": "true"}
		retried(t, "scan-1", func() stacktest.Response {
			return signedUpload(t, s, "/api/v1/applications/"+appID+"/signed-forms", a.holder, fields, []byte("%PDF-1.4\n%signed\n"), "Idempotency-Key", "scan-1")
		})
		if n := count(t, `SELECT count(*) FROM signed_forms WHERE application_id = $1`, appID); n != 1 {
			t.Errorf("%d signed scans stored, want 1", n)
		}
		if n := count(t, `SELECT count(*) FROM application_events WHERE application_id = $1 AND action = 'signed_form.received'`, appID); n != 1 {
			t.Errorf("%d history lines for the scan, want 1", n)
		}
		loseAnswer(t, "scan-1")
		other := map[string]string{"signer": "李玫", "signed_on": "2026-03-02", "seal_present": "true"}
		errorOf(t, signedUpload(t, s, "/api/v1/applications/"+appID+"/signed-forms", a.holder, other, []byte("%PDF-1.4\n%signed\n"), "Idempotency-Key", "scan-1"),
			422, "another signed scan under the key")
		if n := count(t, `SELECT count(*) FROM signed_forms WHERE application_id = $1`, appID); n != 1 {
			t.Errorf("%d signed scans stored after another was sent under the key, want 1", n)
		}
	})
}

// API.md idempotency, for a brand's change request (附件2): retried after a
// lost answer it is the one on record; its key sent again with another
// change is refused, not handed to the brand's process under the first
// one's id.
func TestIdempotency_AChangeRequestRetriedAfterALostAnswerIsTheOneOnRecord(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1)})
	a := brandTokens(t)
	brand := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	ctx := context.Background()
	loseAnswer := func() {
		t.Helper()
		if _, err := s.Store.Pool().Exec(ctx, `DELETE FROM idempotency_keys WHERE key = 'change-1'`); err != nil {
			t.Fatal(err)
		}
	}
	post := func(reason string) stacktest.Response {
		return s.Do("POST", "/api/v1/brands/"+brand+"/changes", a.embroidery,
			map[string]any{"changes": map[string]any{"contact_phone": "13987654321"}, "reason": reason}, "Idempotency-Key", "change-1")
	}
	first := expect(t, post("联系人电话变更"), 201, "change request")
	loseAnswer()
	if again := expect(t, post("联系人电话变更"), 201, "the retry"); again["id"] != first["id"] {
		t.Errorf("the retry made %v, the first attempt %v", again["id"], first["id"])
	}
	loseAnswer()
	errorOf(t, post("联系人和电话均已变更"), 422, "another change under the key")
	var n int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM brand_changes WHERE brand_id = $1`, brand).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d change requests stored, want 1", n)
	}
}

// RULES §3 (identical filings are one) for reports, as for objections: a
// report filed again with the same content on the same day is the one on
// record, also where the API's memory of recent filings does not reach — a
// retry after a 503 (which the memory forgets), another replica, a restart.
// The memory's window is made a millisecond here to stand for all three.
// Found on record, it is answered as the memory answers a merged one: 200,
// Duplicate-Of-Earlier (API.md rate limits).
func Test第十五条_AReportFiledAgainOnItsDayIsTheOneOnRecord(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1),
		Public: api.PublicLimits{DuplicateWindow: time.Millisecond}})
	brand := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	report := map[string]any{"brand_id": brand, "content": "在景区商铺悬挂未经授权的劳务品牌牌匾", "evidence": "现场照片三张", "contact": "13900001111"}
	first := expect(t, s.Do("POST", "/api/v1/public/reports", "", report), 201, "report")
	time.Sleep(10 * time.Millisecond)
	report["content"] = "在景区商铺悬挂未经授权的劳务品牌牌匾 " // the same, spaced otherwise
	r := s.Do("POST", "/api/v1/public/reports", "", report)
	again := expect(t, r, 200, "the same report again, merged")
	if r.Header.Get("Duplicate-Of-Earlier") != "true" {
		t.Errorf("the merged report's answer lacks Duplicate-Of-Earlier: %v", r.Header)
	}
	if first["id"] != again["id"] {
		t.Errorf("filed again as %v, first as %v: two reports to triage for one", again["id"], first["id"])
	}
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM reports WHERE brand_id = $1`, brand).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d reports stored, want 1", n)
	}
}

// RULES §3 (the same content received the same day is one filing): the
// public gate's memory merges within the business day, not across its
// midnight — a report a second after 24:00 is the next day's, a record of
// its own, as the store names it. Business time starts a minute before
// midnight and runs ten times the wall clock.
func Test第十五条_TheSameReportAfterMidnightIsTheNextDaysOwn(t *testing.T) {
	day, _ := calendar.ParseDate("2026-09-01")
	c := clock.Clock{Scale: 10, WallOrigin: time.Now(), BusinessOrigin: day.End().Add(-time.Minute)}
	s := stacktest.Start(t, stacktest.Options{Clock: c, Public: api.PublicLimits{DuplicateWindow: 24 * time.Hour}})
	brand := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	report := map[string]any{"brand_id": brand, "content": "在景区商铺悬挂未经授权的劳务品牌牌匾", "evidence": "现场照片三张", "contact": "13900001111"}
	first := expect(t, s.Do("POST", "/api/v1/public/reports", "", report), 201, "the report before midnight")
	if first["received_on"] != "2026-09-01" {
		t.Fatalf("the first report was received on %v: the setup outran the minute before midnight", first["received_on"])
	}
	time.Sleep(c.WallDuration(day.End().Sub(c.Now())) + 50*time.Millisecond)
	next := expect(t, s.Do("POST", "/api/v1/public/reports", "", report), 201, "the same report after midnight")
	if next["id"] == first["id"] || next["received_on"] != "2026-09-02" {
		t.Errorf("after midnight: %v, want a report of 2026-09-02 of its own (the first %v)", next, first)
	}
}

// RULES §3 and API.md idempotency, for a resubmission: retried after a lost
// answer it is the revision on record (one revision, one history line); its
// key sent again with another 推荐表 is refused, not answered with the
// application the first one made.
func TestIdempotency_AResubmissionRetriedAfterALostAnswerIsTheRevisionOnRecord(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	ctx := context.Background()
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id
	expect(t, s.Do("POST", path+"/county-review", a.anning, map[string]any{"decision": "return", "opinion": "请补充材料"}), 200, "return")
	loseAnswer := func() {
		t.Helper()
		if _, err := s.Store.Pool().Exec(ctx, `DELETE FROM idempotency_keys WHERE key = 'resubmit-1'`); err != nil {
			t.Fatal(err)
		}
	}
	resubmit := func(f demo.Form) stacktest.Response {
		return s.Do("POST", path+"/resubmit", a.holder, f, "Idempotency-Key", "resubmit-1")
	}
	supplemented := demo.Rose().With("trainees_two_years", 5600)
	expect(t, resubmit(supplemented), 200, "resubmission")
	loseAnswer()
	r := resubmit(supplemented)
	v := expect(t, r, 200, "the retry")
	if r.Header.Get("Idempotent-Replay") != "" {
		t.Fatalf("the retry was replayed from the key, which was released: the test proves nothing")
	}
	if v["form_revision"] != float64(2) || v["stage"] != "county_review" {
		t.Errorf("after the retry: revision %v, stage %v; want 2, county_review", v["form_revision"], v["stage"])
	}
	loseAnswer()
	e := errorOf(t, resubmit(demo.Rose().With("trainees_two_years", 6100)), 422, "another 推荐表 under the key")
	if got := failingFields(e); len(got) != 1 || got[0] != "Idempotency-Key" {
		t.Errorf("refused on %v, want Idempotency-Key", got)
	}
	// One that fails a check is refused for it, and the refusal is not kept
	// under the key: the first request's retry is still answered from its
	// revision.
	e = errorOf(t, resubmit(supplemented.With("brand_name", "")), 422, "an incomplete 推荐表 under the key")
	if got := failingFields(e); len(got) != 1 || got[0] != "brand_name" {
		t.Errorf("refused on %v, want brand_name", got)
	}
	if v := expect(t, resubmit(supplemented), 200, "the first request retried after the refusal"); v["form_revision"] != float64(2) {
		t.Errorf("the retry after the refusal: revision %v, want 2", v["form_revision"])
	}
	var revisions, lines int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM application_forms WHERE application_id = $1`, id).Scan(&revisions); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM application_events WHERE application_id = $1 AND action = 'resubmitted'`, id).Scan(&lines); err != nil {
		t.Fatal(err)
	}
	if revisions != 2 || lines != 1 {
		t.Errorf("%d revisions and %d resubmission lines stored, want 2 (the first submission and one resubmission) and 1", revisions, lines)
	}
}
