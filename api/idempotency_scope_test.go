package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// API.md idempotency (issue 12: two holders sharing a token sub replayed
// each other's answers, contact phone included): a key is scoped to the
// principal — role, sub, county or USCC — and a stored answer is replayed
// only to a request that passes the access check.
func TestIdempotencyKeysBelongToThePrincipal(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	form := demo.Rose()
	rose := stacktest.Token(t, auth.Principal{Sub: "shared", Role: auth.Applicant, USCC: form["uscc"].(string)})
	other := stacktest.Token(t, auth.Principal{Sub: "shared", Role: auth.Applicant, USCC: demo.USCC("9153011200000009")})

	first := s.Do("POST", "/api/v1/applications", rose, form, "Idempotency-Key", "submit-1")
	expect(t, first, 201, "the holder's submission")
	again := s.Do("POST", "/api/v1/applications", rose, form, "Idempotency-Key", "submit-1")
	if again.Status != 201 || again.Header.Get("Idempotent-Replay") != "true" || string(again.Body) != string(first.Body) {
		t.Fatalf("the holder's retry: %d replay=%q, want its first answer again", again.Status, again.Header.Get("Idempotent-Replay"))
	}
	t.Run("another holder with the same sub, key and body gets no replay", func(t *testing.T) {
		r := s.Do("POST", "/api/v1/applications", other, form, "Idempotency-Key", "submit-1")
		if r.Status != 403 || r.Header.Get("Idempotent-Replay") != "" || strings.Contains(string(r.Body), "13888123456") {
			t.Fatalf("status %d replay=%q body %.300s; want 403 and none of the first answer", r.Status, r.Header.Get("Idempotent-Replay"), r.Body)
		}
	})
	t.Run("another role with the same sub gets no replay", func(t *testing.T) {
		officer := stacktest.Token(t, auth.Principal{Sub: "shared", Role: auth.CountyOfficer, County: "530181"})
		if r := s.Do("POST", "/api/v1/applications", officer, form, "Idempotency-Key", "submit-1"); r.Status != 403 || r.Header.Get("Idempotent-Replay") != "" {
			t.Fatalf("status %d replay=%q, want 403 by role", r.Status, r.Header.Get("Idempotent-Replay"))
		}
	})
}

// API.md idempotency on the public paths, which have no principal: a key is
// the client's own. Before, every member of the public shared one scope, so
// a report sent under a key someone else had used was refused as "key
// reused" (or, with the same words, answered with the other's filing).
func TestIdempotencyKeysOnPublicPathsBelongToTheClient(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1),
		Public: api.PublicLimits{TrustedProxies: []string{"127.0.0.1"}}})
	brand := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	report := func(content string) map[string]any {
		return map[string]any{"brand_id": brand, "content": content, "evidence": "现场照片", "contact": "13900001111"}
	}
	from := func(client string) []string {
		return []string{"Idempotency-Key", "report-1", "X-Forwarded-For", client}
	}
	first := expect(t, s.Do("POST", "/api/v1/public/reports", "", report("在景区商铺悬挂未经授权的牌匾"), from("203.0.113.1")...), 201, "one client's report")
	other := expect(t, s.Do("POST", "/api/v1/public/reports", "", report("包装上擅自使用劳务品牌标识"), from("203.0.113.2")...), 201,
		"another client's report under the same key")
	if first["id"] == other["id"] {
		t.Errorf("two reports under one key from two clients are one: %v", first["id"])
	}
	// The key is still a key for its own client.
	again := s.Do("POST", "/api/v1/public/reports", "", report("在景区商铺悬挂未经授权的牌匾"), from("203.0.113.1")...)
	if again.Status != 201 || again.Header.Get("Idempotent-Replay") != "true" {
		t.Errorf("the first client's retry: %d replay=%q, want its answer again", again.Status, again.Header.Get("Idempotent-Replay"))
	}
	errorOf(t, s.Do("POST", "/api/v1/public/reports", "", report("另一份举报"), from("203.0.113.1")...), 422, "another report under the client's key")
}

// API.md idempotency with the public limits: a request turned away by a
// limit (429) did nothing, and is not kept under its key — its retry, once
// the wait is over, is taken, not answered 429 again for a day.
func TestIdempotencyAFilingTurnedAwayByALimitIsTakenWhenRetried(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-09-01", 1),
		Public: api.PublicLimits{PerClient: api.Rate{N: 1, Per: 2 * time.Second}}})
	brand := admitBrand(t, s, demo.Embroidery(), "2025-06-20")
	report := func(content string) map[string]any {
		return map[string]any{"brand_id": brand, "content": content, "evidence": "现场照片", "contact": "13900001111"}
	}
	expect(t, s.Do("POST", "/api/v1/public/reports", "", report("在景区商铺悬挂未经授权的牌匾"), "Idempotency-Key", "r-1"), 201, "the first report")
	second := report("包装上擅自使用劳务品牌标识")
	if r := s.Do("POST", "/api/v1/public/reports", "", second, "Idempotency-Key", "r-2"); r.Status != 429 {
		t.Fatalf("the second within the limit's period: %d, want 429", r.Status)
	}
	time.Sleep(2100 * time.Millisecond)
	r := expect(t, s.Do("POST", "/api/v1/public/reports", "", second, "Idempotency-Key", "r-2"), 201, "the second retried after the wait")
	if r["id"] == nil {
		t.Errorf("the retry's answer has no report: %v", r)
	}
}
