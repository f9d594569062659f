package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// The hostile-input suite of issue 12: every attack that was tried against
// a running stack, sent again over HTTP to a whole stack, each named by what
// it guards. docs/RELIABILITY.md's table is this test's log.

// attack is one hostile request and the refusal it must get.
type attack struct {
	guards              string
	method, path, token string
	body                any
	headers             []string
	want                int
}

// tally counts what the attacks got.
type tally struct{ tried, refused, fivexx int }

func (tl *tally) run(t *testing.T, s *stacktest.Stack, a attack) stacktest.Response {
	t.Helper()
	r := s.Do(a.method, a.path, a.token, a.body, a.headers...)
	tl.tried++
	if r.Status >= 500 {
		tl.fivexx++
	}
	if r.Status >= 400 && r.Status < 500 {
		tl.refused++
	}
	if r.Status != a.want {
		t.Errorf("%s — %s %s: %d, want %d: %.300s", a.guards, a.method, a.path, r.Status, a.want, r.Body)
	}
	return r
}

// rowCounts counts the rows an attack could leave behind.
func rowCounts(t *testing.T, s *stacktest.Stack) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"applications", "application_forms", "objections", "reports", "attachments", "rounds", "brands"} {
		var n int
		if err := s.Store.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// namedUpload is a multipart body with one file under filename (RFC 2231, so a
// name with any character can be sent) and its content type.
func namedUpload(filename string) ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("kind", "overview")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename*=UTF-8''`+url.PathEscape(filename))
	h.Set("Content-Type", "application/pdf")
	part, _ := w.CreatePart(h)
	part.Write([]byte("%PDF-1.4\n%hostile\n"))
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// forged signs claims with the stack's secret, as a thief of the secret or
// a careless issuer would.
func forged(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(stacktest.Secret)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Issue 12 items 2–8: text, names, bounds, roles, idempotency, tokens and
// headers, against a whole stack. Nothing refused is stored, nothing
// answers 5xx.
func TestHostileInputIsRefusedAndNothingIsStored(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	form := demo.Rose().With("brand_name", "昆明BanTest家政")
	app := expect(t, s.Do("POST", "/api/v1/applications", a.holder, form, "Idempotency-Key", "hostile-submit"), 201, "the holder's application")["id"].(string)
	appPath := "/api/v1/applications/" + app
	rejectedForm := demo.Embroidery()
	embroideryHolder := stacktest.Token(t, auth.Principal{Sub: "holder-shilin", Role: auth.Applicant, USCC: rejectedForm["uscc"].(string)})
	rejected := expect(t, s.Do("POST", "/api/v1/applications", embroideryHolder, rejectedForm), 201, "a second application")["id"].(string)
	shilin := stacktest.Token(t, auth.Principal{Sub: "officer-shilin", Role: auth.CountyOfficer, County: "530126"})
	expect(t, s.Do("POST", "/api/v1/applications/"+rejected+"/county-review", shilin, map[string]any{"decision": "reject", "opinion": "材料不实"}), 200, "初审 rejects it")
	brand := admitBrand(t, s, demo.Rose().With("brand_name", "宜良花卉", "uscc", demo.USCC("5153012500000001"), "county_code", "530125"), "2025-06-02")
	admin := stacktest.Token(t, auth.Principal{Sub: "root", Role: auth.Admin})
	sameSub := stacktest.Token(t, auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: demo.USCC("9153011200000009")})
	now := time.Now()

	before := rowCounts(t, s)
	var tl tally
	report := func(field, value string) map[string]any {
		b := map[string]any{"brand_id": brand, "content": "违规使用标识", "evidence": "照片三张", "contact": "13800000000"}
		b[field] = value
		return b
	}
	objection := func(field, value string) map[string]any {
		b := map[string]any{"name": "王某", "contact": "13900001111", "content": "部分种植户未纳入协会管理", "evidence": "证明一份"}
		b[field] = value
		return b
	}
	honours := make([]string, 10000)
	for i := range honours {
		honours[i] = "荣誉"
	}
	attacks := []attack{
		// Item 3: clean text, in the path, the query, the header, the body, the file name.
		{"NUL in a path segment", "GET", appPath + "%00", a.city, nil, nil, 422},
		{"invalid UTF-8 in a path segment", "GET", "/api/v1/applications/%FF%FE", a.city, nil, nil, 422},
		{"invalid UTF-8 in a brand id", "GET", "/api/v1/brands/B%C3", a.city, nil, nil, 422},
		{"NUL in a query value", "GET", "/api/v1/brands?status=%00", a.city, nil, nil, 422},
		{"invalid UTF-8 in a query value", "GET", "/api/v1/applications?round=%C3%28", a.city, nil, nil, 422},
		// A cursor whose base64 is clean but whose id PostgreSQL refuses.
		{"a forged cursor with a NUL id on the public catalogue", "GET", "/api/v1/public/brands?cursor=" +
			base64.RawURLEncoding.EncodeToString([]byte("2026-01-01T00:00:00Z|\x00")), "", nil, nil, 422},
		{"NUL in a public query", "GET", "/api/v1/public/announcements?kind=%00", "", nil, nil, 422},
		{"invalid UTF-8 in the Idempotency-Key", "POST", "/api/v1/rounds", a.city,
			map[string]any{"name": "r2", "opens_on": "2026-04-01", "closes_on": "2026-04-30"}, []string{"Idempotency-Key", "k\xff"}, 422},
		{"an RTL override in the Idempotency-Key", "POST", "/api/v1/rounds", a.city,
			map[string]any{"name": "r2", "opens_on": "2026-04-01", "closes_on": "2026-04-30"}, []string{"Idempotency-Key", "k\u202e1"}, 422},
		{"invalid UTF-8 in a decision is refused, not replaced and applied", "POST", appPath + "/county-review", a.anning,
			[]byte("{\"decision\":\"reject\",\"opinion\":\"不符合\xff条件\"}"), nil, 422},
		{"NUL in a decision's opinion", "POST", appPath + "/county-review", a.anning,
			map[string]any{"decision": "reject", "opinion": "不符合\x00条件"}, nil, 422},
		{"a brand name of zero-width characters only", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("brand_name", "\u200b\u200d\u200b", "uscc", demo.USCC("9153012600000002")), nil, 422},
		{"BEL in a brand name", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("brand_name", "石林\a刺绣", "uscc", demo.USCC("9153012600000003")), nil, 422},
		{"an RTL override in a brand name", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("brand_name", "石林\u202e绣刺", "uscc", demo.USCC("9153012600000004")), nil, 422},
		{"CRLF in a brand name", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("brand_name", "石林\r\n刺绣", "uscc", demo.USCC("9153012600000005")), nil, 422},
		{"CRLF in an objector's name", "POST", "/api/v1/public/applications/" + app + "/objections", "", objection("name", "王\r\n某"), nil, 422},
		{"an objector's name of zero-width characters only", "POST", "/api/v1/public/applications/" + app + "/objections", "",
			objection("name", "\u200b\ufeff"), nil, 422},
		{"an RTL override in a report", "POST", "/api/v1/public/reports", "", report("content", "违规\u202e标识"), nil, 422},
		{"BEL in a report", "POST", "/api/v1/public/reports", "", report("evidence", "照片\a三张"), nil, 422},
		{"a report's contact of invisible characters only", "POST", "/api/v1/public/reports", "", report("contact", "\u2060\u200b"), nil, 422},
		// A stray brace after the object: one object is what the merging
		// and the brand's limit read, so it is what is taken.
		{"a report with a stray brace after it", "POST", "/api/v1/public/reports", "",
			[]byte(`{"brand_id":"` + brand + `","content":"违规使用标识","evidence":"照片三张","contact":"13800000000"}}`), nil, 422},
		// A path no address of ours is as long as, with a key: the key's
		// index would have refused it in PostgreSQL (a 500).
		{"a public objection to an id of 4,160 random characters, with a key", "POST",
			"/api/v1/public/applications/" + randomText(160) + "/objections", "", objection("name", "王某"), []string{"Idempotency-Key", "k"}, 404},
		{"a decision on an id of 4,160 random characters, with a key", "POST",
			"/api/v1/applications/" + randomText(160) + "/county-review", a.anning, map[string]any{"decision": "approve", "opinion": "同意"},
			[]string{"Idempotency-Key", "k"}, 404},
		// Item 4: bounds and filters.
		{"a round opening on 0000-01-01", "POST", "/api/v1/rounds", a.city,
			map[string]any{"name": "r0", "opens_on": "0000-01-01", "closes_on": "0000-12-31"}, nil, 422},
		{"trainees_two_years of 2⁶³−1", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("trainees_two_years", int64(1<<63-1), "uscc", demo.USCC("9153012600000006")), nil, 422},
		{"labor_income_wan of 1e300", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("labor_income_wan", 1e300, "uscc", demo.USCC("9153012600000007")), nil, 422},
		{"10,000 honours", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("honours", honours, "uscc", demo.USCC("9153012600000008")), nil, 422},
		{"registered_on 0001-01-01", "POST", "/api/v1/applications", a.city,
			demo.Embroidery().With("registered_on", "0001-01-01", "uscc", demo.USCC("9153012600000009")), nil, 422},
		{"an evaluation report's count of 2⁶³−1", "POST", "/api/v1/brands/" + brand + "/evaluations",
			stacktest.Token(t, auth.Principal{Sub: "h", Role: auth.Applicant, USCC: demo.USCC("5153012500000001")}),
			map[string]any{"period": "2025-2027", "violations": 0, "major_complaints": 0, "major_accidents": 0, "direct_employees": 1,
				"driven_employment": 1, "labor_income_wan": 1e300, "trainees_two_years": int64(1<<63 - 1), "summary": "综述"}, nil, 422},
		{"?stage=anything", "GET", "/api/v1/applications?stage=anything", a.city, nil, nil, 422},
		{"?county= not a county", "GET", "/api/v1/brands?county=999999", a.city, nil, nil, 422},
		{"?category= not a category", "GET", "/api/v1/public/brands?category=mining", "", nil, nil, 422},
		{"?status= not a status", "GET", "/api/v1/reports?status=anything", a.city, nil, nil, 422},
		// Item 6: roles.
		{"a supervisor opens a round", "POST", "/api/v1/rounds", a.supervisor,
			map[string]any{"name": "r3", "opens_on": "2026-05-01", "closes_on": "2026-05-30"}, nil, 403},
		{"a supervisor decides 初审", "POST", appPath + "/county-review", a.supervisor,
			map[string]any{"decision": "approve", "opinion": "同意"}, nil, 403},
		{"a supervisor loads a calendar", "PUT", "/api/v1/calendar/years/2031", a.supervisor,
			map[string]any{"off": []string{}, "work": []string{}, "notice": "x"}, nil, 403},
		{"an admin reads the work queue", "GET", "/api/v1/tasks", admin, nil, nil, 403},
		{"an admin lists applications", "GET", "/api/v1/applications", admin, nil, nil, 403},
		// Item 5: idempotency belongs to the principal.
		{"a holder sharing the sub replays another's submission", "POST", "/api/v1/applications", sameSub, form,
			[]string{"Idempotency-Key", "hostile-submit"}, 403},
		// Item 7: tokens.
		{"a token that expires in the year 5138", "GET", "/api/v1/applications", forged(t, jwt.MapClaims{"sub": "c", "role": "city_officer",
			"iat": now.Unix(), "exp": time.Date(5138, 1, 1, 0, 0, 0, 0, time.UTC).Unix()}), nil, nil, 401},
		{"a token with a string expiry", "GET", "/api/v1/applications", forged(t, jwt.MapClaims{"sub": "c", "role": "city_officer",
			"iat": now.Unix(), "exp": fmt.Sprint(now.Add(time.Hour).Unix())}), nil, nil, 401},
		{"a token issued in the future", "GET", "/api/v1/applications", forged(t, jwt.MapClaims{"sub": "c", "role": "city_officer",
			"iat": now.Add(10 * time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}), nil, nil, 401},
	}
	// Item 2: one name, one brand.
	n := 0
	for name, spelling := range banTestSpellings("家政") {
		n++
		attacks = append(attacks, attack{"the open application's name spelled with " + name, "POST", "/api/v1/applications", a.city,
			demo.Rose().With("brand_name", spelling, "uscc", demo.USCC(fmt.Sprintf("51530102%08d", n))), nil, 409})
	}
	for _, at := range attacks {
		tl.run(t, s, at)
	}
	// Item 3 and 6: file names, and uploads once the holder may no longer change the application.
	for _, u := range []struct {
		guards, filename, app, token string
		want                         int
	}{
		{"an RTL override in an upload's file name", "invoice\u202egnp.exe", app, a.holder, 422},
		{"CRLF in an upload's file name", "a\r\nb.pdf", app, a.holder, 422},
		{"NUL in an upload's file name", "a\x00.pdf", app, a.holder, 422},
		{"an upload on a rejected application", "overview.pdf", rejected, embroideryHolder, 409},
	} {
		body, ctype := namedUpload(u.filename)
		r := tl.run(t, s, attack{u.guards, "POST", "/api/v1/applications/" + u.app + "/attachments", u.token, body,
			[]string{"Content-Type", ctype}, u.want})
		if u.want == 409 {
			if e, _ := r.Map(t)["error"].(map[string]any); e["details"].(map[string]any)["stage"] != "rejected" {
				t.Errorf("%s: details %v, want stage rejected", u.guards, e["details"])
			}
		}
	}

	after := rowCounts(t, s)
	storedWrongly := 0
	for table, n := range after {
		if d := n - before[table]; d != 0 {
			storedWrongly += d
			t.Errorf("%d rows of %s written by refused attacks", d, table)
		}
	}
	if stage := expect(t, s.Do("GET", appPath, a.city, nil), 200, "the application")["stage"]; stage != "county_review" {
		t.Errorf("stage %v after refused decisions, want county_review", stage)
	}
	t.Run("every answer carries the security headers", func(t *testing.T) {
		r := s.Do("GET", appPath, a.city, nil)
		if r.Header.Get("Content-Security-Policy") == "" || r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" {
			t.Errorf("headers %v", r.Header)
		}
	})
	if tl.refused != tl.tried || tl.fivexx > 0 {
		t.Errorf("%d attacks: %d refused, %d 5xx", tl.tried, tl.refused, tl.fivexx)
	}
	t.Logf("attacks tried %d, refused %d, stored wrongly %d, 5xx %d", tl.tried, tl.refused, storedWrongly, tl.fivexx)
}

// Issue 12 item 1 (2,000 anonymous objections in a burst were all stored):
// per client and per application, beyond the limit 429 with Retry-After and
// nothing stored; the same content again is merged into the first; only a
// stored objection counts against the application, so a flood of invalid
// ones does not silence the real ones (a second reader's catch).
func TestHostileBurstOfObjectionsIsLimited(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1), Public: api.PublicLimits{
		PerClient: api.Rate{N: 5, Per: time.Hour}, PerTarget: api.Rate{N: 8, Per: time.Hour},
		DuplicateWindow: time.Hour, TrustedProxies: []string{"127.0.0.1"}}})
	a := tokens(t)
	seedPool(t, s, a)
	id := inNotice(t, s, a, demo.Rose())
	path := "/api/v1/public/applications/" + id + "/objections"
	from := func(client string) []string { return []string{"X-Forwarded-For", client} }
	var tl tally
	var firstID string
	for i := range 40 { // one client's burst
		r := s.Do("POST", path, "", objection(i), from("203.0.113.1")...)
		switch {
		case i < 5 && r.Status == 201:
			if i == 0 {
				firstID = r.Map(t)["id"].(string)
			}
		case i >= 5 && r.Status == 429 && r.Header.Get("Retry-After") != "":
			tl.refused++
		default:
			t.Errorf("objection %d from one client: %d %s", i+1, r.Status, r.Header.Get("Retry-After"))
		}
		if r.Status >= 500 {
			tl.fivexx++
		}
		tl.tried++
	}
	t.Run("the same content from another client is merged into the first", func(t *testing.T) {
		r := s.Do("POST", path, "", objection(0), from("203.0.113.2")...)
		tl.tried++
		if r.Status != 200 || r.Map(t)["id"] != firstID {
			t.Errorf("duplicate: %d %s, want 200 with %s", r.Status, r.Body, firstID)
		}
	})
	for i := range 20 { // junk from many clients is refused and spends nothing of the application's limit
		r := s.Do("POST", path, "", map[string]any{"content": ""}, from(fmt.Sprintf("203.0.113.%d", 100+i))...)
		tl.tried++
		if r.Status != 422 {
			t.Errorf("junk objection %d: %d, want 422", i, r.Status)
		} else {
			tl.refused++
		}
	}
	for i := range 10 { // many clients, one application: 3 more fit under its limit of 8
		r := s.Do("POST", path, "", objection(100+i), from(fmt.Sprintf("203.0.113.%d", 10+i))...)
		tl.tried++
		switch {
		case i < 3 && r.Status == 201:
		case i >= 3 && r.Status == 429:
			tl.refused++
		default:
			t.Errorf("objection from client %d: %d", i, r.Status)
		}
	}
	var stored int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM objections WHERE application_id = $1`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 8 {
		t.Errorf("%d objections stored, want 8: the limits' and the merge's leftovers", stored)
	}
	if tl.fivexx > 0 {
		t.Errorf("%d answers 5xx", tl.fivexx)
	}
	t.Logf("objections tried %d, refused %d (429), merged 1, stored %d (wrongly %d), 5xx %d", tl.tried, tl.refused, stored, stored-8, tl.fivexx)
}

// RULES §6 (what workflows carry) and hostile input: a review's free text
// travels in its Update and its step, kept in Temporal's history as well
// as PostgreSQL — an opinion over 5,000 characters, a relaxation's reason
// over 2,000, more than ten relaxations are refused by field (422), and
// nothing is decided.
func TestAReviewsFreeTextIsBounded(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	seedPool(t, s, a)
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	path := "/api/v1/applications/" + id + "/county-review"
	long := strings.Repeat("意", 5001)
	e := errorOf(t, s.Do("POST", path, a.anning, map[string]any{"decision": "return", "opinion": long}), 422, "an opinion of 5001 characters")
	if got := failingFields(e); !slices.Equal(got, []string{"opinion"}) {
		t.Errorf("fields %v, want opinion", got)
	}
	many := make([]map[string]any, 11)
	for i := range many {
		many[i] = map[string]any{"criterion": "trainees_two_years", "reason": "非遗企业"}
	}
	many[0]["reason"] = strings.Repeat("由", 2001)
	e = errorOf(t, s.Do("POST", path, a.anning, map[string]any{"decision": "approve", "opinion": "同意", "relaxations": many}), 422, "eleven relaxations, one too long")
	if got := failingFields(e); !slices.Equal(got, []string{"relaxations", "relaxations[0].reason"}) {
		t.Errorf("fields %v, want relaxations and relaxations[0].reason", got)
	}
	if v := expect(t, s.Do("GET", "/api/v1/applications/"+id, a.anning, nil), 200, "the application"); v["stage"] != "county_review" {
		t.Errorf("stage %v after the refusals, want county_review", v["stage"])
	}
}

// randomText is n pieces of 26 random letters and digits: text that does
// not compress, as an index entry of PostgreSQL would hold it.
func randomText(n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(rand.Text())
	}
	return b.String()
}
