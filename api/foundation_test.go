package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
)

var (
	adminP     = auth.Principal{Sub: "root", Role: auth.Admin}
	cityP      = auth.Principal{Sub: "city-taskforce", Role: auth.CityOfficer}
	applicantP = auth.Principal{Sub: "holder-rose", Role: auth.Applicant, USCC: "51530181MJ0000001U"}
)

// status fails t unless r has the wanted status; it returns the JSON body.
func status(t *testing.T, r stacktest.Response, want int, what string) map[string]any {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d: %.500s", what, r.Status, want, r.Body)
	}
	return r.Map(t)
}

// apiError checks API.md's error format — {"error": {"code", "message", …}},
// code in English, message in Chinese — and returns the error object.
func apiError(t *testing.T, r stacktest.Response, want int, code string) map[string]any {
	t.Helper()
	body := status(t, r, want, code)
	e, ok := body["error"].(map[string]any)
	if !ok || len(body) != 1 {
		t.Fatalf("body %s is not {\"error\": {…}}", r.Body)
	}
	if e["code"] != code {
		t.Errorf("error.code = %v, want %s", e["code"], code)
	}
	if msg, _ := e["message"].(string); !regexp.MustCompile(`\p{Han}`).MatchString(msg) {
		t.Errorf("error.message %q is not in Chinese", msg)
	}
	return e
}

// fieldNames lists error.fields[].field.
func fieldNames(e map[string]any) []string {
	var names []string
	for _, f := range e["fields"].([]any) {
		names = append(names, f.(map[string]any)["field"].(string))
	}
	sort.Strings(names)
	return names
}

// fieldMessage is what a refusal says of field ("" when it names none).
func fieldMessage(e map[string]any, field string) string {
	for _, f := range e["fields"].([]any) {
		if f := f.(map[string]any); f["field"] == field {
			return f["message"].(string)
		}
	}
	return ""
}

// API.md: GET /healthz is 200 when live, GET /readyz when Temporal and
// PostgreSQL are reachable.
func TestHealthAndReadiness(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	status(t, s.Do("GET", "/healthz", "", nil), 200, "healthz")
	ready := status(t, s.Do("GET", "/readyz", "", nil), 200, "readyz")
	checks, _ := ready["checks"].(map[string]any)
	if ready["ready"] != true || checks["postgresql"] != "ok" || checks["temporal"] != "ok" {
		t.Errorf("readyz = %v", ready)
	}
	t.Run("/metrics serves laborbrand_http_requests_total", func(t *testing.T) {
		r := s.Do("GET", "/metrics", "", nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), `laborbrand_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
			t.Fatalf("metrics %d: %.2000s", r.Status, r.Body)
		}
	})
}

// API.md /readyz, hostile input on a public path: a dependency that does
// not answer is named as unavailable, and its error — the address it
// dialled, a database's name and user — is the log's, never an anonymous
// caller's.
func TestReadinessNamesWhatIsDownAndNothingOfIt(t *testing.T) {
	dead, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	s := stacktest.Start(t, stacktest.Options{NoWorker: true, APITemporal: dead, Timeout: 2 * time.Second})
	r := s.Do("GET", "/readyz", "", nil)
	ready := status(t, r, 503, "readyz, Temporal down")
	checks, _ := ready["checks"].(map[string]any)
	if ready["ready"] != false || checks["temporal"] != "unavailable" || checks["postgresql"] != "ok" || strings.Contains(string(r.Body), "127.0.0.1") {
		t.Errorf("readyz with Temporal down = %s", r.Body)
	}
	// The load balancer's probe: Temporal reported, not required — the API
	// still stores submissions, and its sweep starts them once Temporal is back.
	r = s.Do("GET", "/readyz?temporal=optional", "", nil)
	ready = status(t, r, 200, "readyz?temporal=optional, Temporal down")
	checks, _ = ready["checks"].(map[string]any)
	if ready["ready"] != true || checks["temporal"] != "unavailable" || checks["postgresql"] != "ok" {
		t.Errorf("readyz?temporal=optional with Temporal down = %s", r.Body)
	}
}

// docs/DEPLOYMENT.md (what a stopping pod does with its work): a replica
// told to stop answers /readyz with 503 — its load balancer stops sending it
// requests — while it still serves those it is sent.
func TestAStoppingReplicaIsNotReadyButServes(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	s.Server.Drain()
	r := s.Do("GET", "/readyz", "", nil)
	ready := status(t, r, 503, "readyz while stopping")
	checks, _ := ready["checks"].(map[string]any)
	if ready["ready"] != false || checks["shutdown"] != "stopping" || checks["postgresql"] != "ok" {
		t.Errorf("readyz while stopping = %v", ready)
	}
	status(t, s.Do("GET", "/healthz", "", nil), 200, "healthz while stopping")
	status(t, s.Do("GET", "/api/v1/public/brands", "", nil), 200, "a request while stopping")
}

// openAPIDoc loads and validates GET /openapi.json.
func openAPIDoc(t *testing.T, s *stacktest.Stack) *openapi3.T {
	t.Helper()
	r := s.Do("GET", "/openapi.json", "", nil)
	status(t, r, 200, "openapi.json")
	doc, err := openapi3.NewLoader().LoadFromData(r.Body)
	if err != nil {
		t.Fatalf("load /openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("/openapi.json is not valid OpenAPI 3: %v", err)
	}
	return doc
}

// API.md: GET /openapi.json is an OpenAPI 3 description of the whole API,
// with every endpoint of the contract that exists so far.
func TestOpenAPIDescribesTheContract(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	doc := openAPIDoc(t, s)
	for _, o := range []struct{ method, path string }{
		{"GET", "/healthz"}, {"GET", "/readyz"}, {"GET", "/openapi.json"},
		{"GET", "/api/v1/clock"},
		{"GET", "/api/v1/calendar/add-workdays"},
		{"PUT", "/api/v1/calendar/years/{year}"},
		{"POST", "/api/v1/rounds"},
		{"POST", "/api/v1/experts"}, {"GET", "/api/v1/experts"}, {"PATCH", "/api/v1/experts/{id}"},
		{"POST", "/api/v1/applications"}, {"GET", "/api/v1/applications"}, {"GET", "/api/v1/applications/{id}"},
		{"POST", "/api/v1/applications/{id}/attachments"}, {"GET", "/api/v1/applications/{id}/attachments/{aid}"},
		{"POST", "/api/v1/applications/{id}/county-review"},
		{"POST", "/api/v1/applications/{id}/resubmit"},
		{"POST", "/api/v1/applications/{id}/expert-draw"},
		{"POST", "/api/v1/applications/{id}/expert-opinions"},
		{"POST", "/api/v1/applications/{id}/site-visits"},
		{"POST", "/api/v1/applications/{id}/city-review"},
		{"POST", "/api/v1/public/applications/{id}/objections"},
		{"POST", "/api/v1/applications/{id}/objections"},
		{"POST", "/api/v1/applications/{id}/objections/{oid}/ruling"},
		{"GET", "/api/v1/public/notices"},
	} {
		item := doc.Paths.Value(o.path)
		if item == nil || item.GetOperation(o.method) == nil {
			t.Errorf("/openapi.json lacks %s %s", o.method, o.path)
			continue
		}
		op := item.GetOperation(o.method)
		public := strings.HasPrefix(o.path, "/api/v1/public/") || !strings.HasPrefix(o.path, "/api/v1/") || o.path == "/api/v1/clock"
		if secured := op.Security != nil && len(*op.Security) > 0; secured == public {
			t.Errorf("%s %s: bearer security %v, want %v", o.method, o.path, secured, !public)
		}
	}
}

// API.md errors: 401 no/invalid token, 403 role not allowed, 404, 405 — all
// in the error format.
func TestErrorStatusesUseTheErrorFormat(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	expired, err := auth.Sign(stacktest.Secret, cityP, time.Now().Add(-2*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	otherSecret, err := auth.Sign([]byte("not-the-server-secret-not-the-server"), cityP, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	year := map[string]any{"off": []string{"2027-01-01"}, "work": []string{}, "notice": "通知"}
	cases := []struct {
		name, method, path string
		token              string
		body               any
		headers            []string
		status             int
		code               string
	}{
		{"401 without a token", "GET", "/api/v1/rounds", "", nil, nil, 401, "unauthorized"},
		{"401 with a malformed token", "GET", "/api/v1/rounds", "not.a.jwt", nil, nil, 401, "unauthorized"},
		{"401 with an expired token", "GET", "/api/v1/rounds", expired, nil, nil, 401, "unauthorized"},
		{"401 with a token signed by another secret", "GET", "/api/v1/rounds", otherSecret, nil, nil, 401, "unauthorized"},
		{"401 with a Basic authorization", "GET", "/api/v1/rounds", "", nil, []string{"Authorization", "Basic cm9vdDpyb290"}, 401, "unauthorized"},
		{"403: only an admin loads a calendar year", "PUT", "/api/v1/calendar/years/2027", stacktest.Token(t, applicantP), year, nil, 403, "forbidden"},
		{"403: a city officer does not load a calendar year either", "PUT", "/api/v1/calendar/years/2027", stacktest.Token(t, cityP), year, nil, 403, "forbidden"},
		{"404 for an unknown path", "GET", "/api/v1/no-such-thing", "", nil, nil, 404, "not_found"},
		{"404 for an unknown record", "GET", "/api/v1/applications/nobody", stacktest.Token(t, cityP), nil, nil, 404, "not_found"},
		{"405 for a method the path does not take", "DELETE", "/api/v1/clock", "", nil, nil, 405, "method_not_allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apiError(t, s.Do(tc.method, tc.path, tc.token, tc.body, tc.headers...), tc.status, tc.code)
		})
	}
}

// doChunked sends body without a Content-Length, so only reading it reveals
// its size.
func doChunked(t *testing.T, s *stacktest.Stack, path, token string, body []byte, headers ...string) stacktest.Response {
	t.Helper()
	return s.Do("POST", path, token, io.MultiReader(bytes.NewReader(body)), headers...)
}

// API.md errors: 413 for a body over the limit (LB_MAX_BODY_BYTES), however
// it arrives; the message gives the limit.
func TestBodyOverTheLimitIs413(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true, MaxBodyBytes: 1024})
	city := stacktest.Token(t, cityP)
	big := []byte(fmt.Sprintf(`{"name":%q,"opens_on":"2026-03-01","closes_on":"2026-03-31"}`, strings.Repeat("长", 1000)))
	cases := []struct {
		name string
		do   func() stacktest.Response
	}{
		{"with a Content-Length", func() stacktest.Response { return s.Do("POST", "/api/v1/rounds", city, big) }},
		{"chunked", func() stacktest.Response { return doChunked(t, s, "/api/v1/rounds", city, big) }},
		{"chunked with an Idempotency-Key", func() stacktest.Response {
			return doChunked(t, s, "/api/v1/rounds", city, big, "Idempotency-Key", "big-1")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := apiError(t, tc.do(), 413, "body_too_large")
			if msg := e["message"].(string); !strings.Contains(msg, "（上限 1 KB）") {
				t.Errorf("message %q does not give the limit, 1 KB", msg)
			}
		})
	}
	under := map[string]any{"name": "", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}
	apiError(t, s.Do("POST", "/api/v1/rounds", city, under), 422, "validation_failed") // under the limit: read and validated
}

// API.md errors: 422 for validation, every failing field named at once.
func TestMalformedBodiesAre422NamingTheField(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	city := stacktest.Token(t, cityP)
	const round = `{"name":"r","opens_on":"2026-03-01","closes_on":"2026-03-31"`
	cases := []struct {
		name   string
		body   string
		fields []string
	}{
		{"truncated JSON", `{"name":`, nil},
		{"not JSON", `hello`, nil},
		{"empty body", ``, nil},
		{"two objects", round + `}{}`, nil},
		{"an unknown field is named", round + `,"colour":"red"}`, []string{"colour"}},
		{"a wrong type is named", `{"name":1,"opens_on":"2026-03-01","closes_on":"2026-03-31"}`, []string{"name"}},
		{"an array instead of an object", `[]`, nil},
		{"every missing field at once", `{}`, []string{"closes_on", "name", "opens_on"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := apiError(t, s.Do("POST", "/api/v1/rounds", city, tc.body), 422, "validation_failed")
			if tc.fields != nil {
				if got := fieldNames(e); !slices.Equal(got, tc.fields) {
					t.Errorf("fields = %v, want %v", got, tc.fields)
				}
			}
		})
	}
}

// API.md errors: 503 when no worker answers in time — within the configured
// timeout, never a 500 or a hung request; a retry with the same key is
// processed again, not refused as in flight.
func TestNoWorkerIs503WithinTheTimeout(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true, Timeout: 2 * time.Second, Clock: businessClock("2026-03-02", 1)})
	a := tokens(t)
	expect(t, s.Do("POST", "/api/v1/rounds", a.city, map[string]any{"name": "r", "opens_on": "2026-03-01", "closes_on": "2026-03-31"}), 201, "round")
	// The submission is stored and its process started; nobody runs it.
	id := expect(t, s.Do("POST", "/api/v1/applications", a.holder, demo.Rose()), 201, "submit")["id"].(string)
	for _, attempt := range []string{"first", "retry with the same key"} {
		t.Run(attempt, func(t *testing.T) {
			start := time.Now()
			r := s.Do("POST", "/api/v1/applications/"+id+"/county-review", a.anning,
				map[string]any{"decision": "approve", "opinion": "材料齐全"}, "Idempotency-Key", "lonely-1")
			apiError(t, r, 503, "unavailable")
			if d := time.Since(start); d > 8*time.Second {
				t.Errorf("answered after %v, the timeout is 2s", d)
			}
		})
	}
}

// API.md idempotency: same key + same body → the first response again and
// nothing changes (one round stored); same key + other body → 422.
func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	city := stacktest.Token(t, cityP)
	body := map[string]any{"name": "2026年第一批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}
	first := s.Do("POST", "/api/v1/rounds", city, body, "Idempotency-Key", "idem-1")
	status(t, first, 201, "first")
	if first.Header.Get("Idempotent-Replay") != "" {
		t.Error("the first answer is marked as a replay")
	}
	rounds := func() int {
		rs, err := s.Store.Rounds(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}

	again := s.Do("POST", "/api/v1/rounds", city, body, "Idempotency-Key", "idem-1")
	status(t, again, 201, "replay")
	if again.Header.Get("Idempotent-Replay") != "true" || string(again.Body) != string(first.Body) {
		t.Errorf("replay: header %q, body %s; want true and %s", again.Header.Get("Idempotent-Replay"), again.Body, first.Body)
	}
	if n := rounds(); n != 1 {
		t.Errorf("%d rounds stored after the replay, want 1", n)
	}
	other := s.Do("POST", "/api/v1/rounds", city, map[string]any{"name": "2026年第二批", "opens_on": "2026-03-01", "closes_on": "2026-04-30"}, "Idempotency-Key", "idem-1")
	if got := fieldNames(apiError(t, other, 422, "validation_failed")); !slices.Equal(got, []string{"Idempotency-Key"}) {
		t.Errorf("fields = %v", got)
	}
	t.Run("the key is scoped by the token's sub", func(t *testing.T) {
		deputy := stacktest.Token(t, auth.Principal{Sub: "city-deputy", Role: auth.CityOfficer})
		r := s.Do("POST", "/api/v1/rounds", deputy, body, "Idempotency-Key", "idem-1")
		if got := status(t, r, 201, "same key, other sub"); got["id"] == first.Map(t)["id"] || r.Header.Get("Idempotent-Replay") != "" {
			t.Errorf("another sub's request got the first answer: %s (Idempotent-Replay %q)", r.Body, r.Header.Get("Idempotent-Replay"))
		}
		if n := rounds(); n != 2 {
			t.Errorf("%d rounds stored, want 2", n)
		}
	})
}

// API.md § Time scale: GET /api/v1/clock gives the business clock.
func TestClockView(t *testing.T) {
	start, _ := calendar.ParseDate("2026-09-28")
	cases := []struct {
		name      string
		clock     clock.Clock
		scale     float64
		startDate func(asked time.Time) []string // one of these
	}{
		// Today in Kunming when asked, or the next day should midnight there
		// pass before the test reads the answer.
		{"production: business time is wall time", clock.Clock{}, 1, func(asked time.Time) []string {
			return []string{calendar.DateOf(asked).String(), calendar.DateOf(time.Now()).String()}
		}},
		{"a dev stack at 86400×", clock.Clock{Scale: 86400, WallOrigin: time.Now(), BusinessOrigin: start.Start().Add(9 * time.Hour)},
			86400, func(time.Time) []string { return []string{"2026-09-28"} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := stacktest.Start(t, stacktest.Options{NoWorker: true, Clock: tc.clock})
			asked := time.Now()
			v := status(t, s.Do("GET", "/api/v1/clock", "", nil), 200, "clock")
			now, err := time.Parse(time.RFC3339Nano, fmt.Sprint(v["now"]))
			if err != nil || !strings.HasSuffix(fmt.Sprint(v["now"]), "+08:00") {
				t.Fatalf("now %v is not RFC 3339 in +08:00: %v", v["now"], err)
			}
			if v["today"] != calendar.DateOf(now).String() {
				t.Errorf("today %v, now %v", v["today"], v["now"])
			}
			if want := tc.clock.Now(); now.Sub(want).Abs() > 10*time.Duration(tc.scale)*time.Second {
				t.Errorf("now %v, business clock says %v", now, want)
			}
			if starts := tc.startDate(asked); v["time_scale"] != tc.scale || !slices.Contains(starts, fmt.Sprint(v["business_start"])) {
				t.Errorf("time_scale %v, business_start %v; want %v, one of %v", v["time_scale"], v["business_start"], tc.scale, starts)
			}
		})
	}
}

// RULES §5, 民法典第二百零一条: N working days after D, counting from the day
// after D; a year without an official notice is provisional.
func TestAddWorkdays(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	tok := stacktest.Token(t, cityP)
	cases := []struct {
		name, query string
		date        string
		provisional bool
	}{
		{"国庆 2026 is skipped", "from=2026-09-30&n=1", "2026-10-08", false},
		{"the adjusted Saturday 2026-10-10 is a working day", "from=2026-10-09&n=1", "2026-10-10", false},
		{"2027 has no notice: 春节 is computed and provisional", "from=2027-02-04&n=1", "2027-02-11", true},
		{"a span reaching into 2027 is provisional", "from=2026-12-30&n=2", "2027-01-04", true},
		{"n = 0 is the day itself", "from=2026-09-30&n=0", "2026-09-30", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := status(t, s.Do("GET", "/api/v1/calendar/add-workdays?"+tc.query, tok, nil), 200, tc.query)
			if v["date"] != tc.date || v["provisional"] != tc.provisional || v["calendar_version"] != 0.0 {
				t.Errorf("%s = %v; want date %s, provisional %v, calendar_version 0", tc.query, v, tc.date, tc.provisional)
			}
		})
	}
	invalid := []struct {
		name, query string
		fields      []string
	}{
		{"n over 10000", "from=2026-09-30&n=10001", []string{"n"}},
		{"n not a number", "from=2026-09-30&n=two", []string{"n"}},
		{"a day that does not exist", "from=2026-02-30&n=1", []string{"from"}},
		{"both missing, both named", "", []string{"from", "n"}},
		{"a county nobody has, named with the others (RULES §5: its calendar is not the city's)", "from=2026-02-30&n=1&county=539999", []string{"county", "from"}},
	}
	for _, tc := range invalid {
		t.Run("422: "+tc.name, func(t *testing.T) {
			e := apiError(t, s.Do("GET", "/api/v1/calendar/add-workdays?"+tc.query, tok, nil), 422, "validation_failed")
			if got := fieldNames(e); !slices.Equal(got, tc.fields) {
				t.Errorf("fields = %v, want %v", got, tc.fields)
			}
		})
	}
	t.Run("422: explain a rule on a county nobody has", func(t *testing.T) {
		e := apiError(t, s.Do("GET", "/api/v1/calendar/explain?kind=x&period=workdays&from=2026-09-30&n=1&county=539999", tok, nil), 422, "validation_failed")
		if got := fieldNames(e); !slices.Equal(got, []string{"county"}) {
			t.Errorf("fields = %v, want [county]", got)
		}
	})
}

// RULES §5: when the official schedule of a year is loaded (admin only),
// deadlines in it are no longer provisional and use the new calendar version.
func TestLoadingACalendarYear(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true})
	admin := stacktest.Token(t, adminP)
	city := stacktest.Token(t, cityP)

	bad := map[string]any{"off": []string{"2026-11-30", "2027-02-06"}, "work": []string{"2027-02-06"}, "notice": "  "} // 11-30: before the December a notice may reach
	e := apiError(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, bad), 422, "validation_failed")
	if got, want := fieldNames(e), []string{"notice", "off[0]", "work[0]"}; !slices.Equal(got, want) {
		t.Errorf("422 fields = %v, want every failing field at once: %v", got, want)
	}
	// Each refusal in Chinese, beside its field and naming what was typed
	// (the brief's Bad input); a schedule with no days off is no schedule.
	for _, tc := range []struct {
		name        string
		body        map[string]any
		field, says string
	}{
		{"a weekday as 调休上班", map[string]any{"off": []string{"2027-01-01"}, "work": []string{"2027-02-03"}, "notice": "通知"}, "work[0]", "2027-02-03 是星期三：调休上班日须为周六或周日"},
		{"no days off", map[string]any{"off": []string{}, "work": []string{}, "notice": "通知"}, "off", "必填：国务院通知所列的放假日"},
		{"a notice of 301 characters", map[string]any{"off": []string{"2027-01-01"}, "notice": strings.Repeat("通", 301)}, "notice", "不超过300字"},
		{"a date that is not one", map[string]any{"off": []string{"2027-13-01"}, "notice": "通知"}, "off[0]", `"2027-13-01" 不是日期`},
	} {
		e := apiError(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, tc.body), 422, "validation_failed")
		if msg := fieldMessage(e, tc.field); !strings.Contains(msg, tc.says) {
			t.Errorf("%s: %s says %q, want %q (all: %v)", tc.name, tc.field, msg, tc.says, e)
		}
	}
	// A county day off of a year no calendar has was never added: 404, not
	// a store error (PostgreSQL has no year 0).
	apiError(t, s.Do("DELETE", "/api/v1/calendar/counties/530181/off-days/0000-01-01", admin, nil), 404, "not_found")

	year := map[string]any{
		"off":    []string{"2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"},
		"work":   []string{"2027-02-20"},
		"notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
	}
	v := status(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, year), 200, "load 2027")
	version, _ := v["calendar_version"].(float64)
	if version < 1 || v["year"] != 2027.0 {
		t.Fatalf("load answered %v; want year 2027 and calendar_version ≥ 1", v)
	}
	got := status(t, s.Do("GET", "/api/v1/calendar/add-workdays?from=2027-02-04&n=1", city, nil), 200, "add-workdays")
	if got["date"] != "2027-02-12" || got["provisional"] != false || got["calendar_version"] != version {
		t.Errorf("after the load: %v; want 2027-02-12, not provisional, calendar_version %v", got, version)
	}
	if v["changed"] != true {
		t.Errorf("the first load answered changed %v, want true", v["changed"])
	}
	// The same notice loaded again (a second admin, a page sent twice
	// without its key) is no revision: the version in force, nothing told.
	again := status(t, s.Do("PUT", "/api/v1/calendar/years/2027", admin, year), 200, "load 2027 again")
	if again["changed"] != false || again["calendar_version"] != version {
		t.Errorf("the same schedule again answered %v; want changed false and calendar_version %v", again, version)
	}
	rows, err := s.Store.AuditFor(context.Background(), "calendar_year", "2027")
	if err != nil || len(rows) != 1 || rows[0].Actor != adminP.Sub {
		t.Errorf("RULES §6: the calendar edit is audited, once: %+v, %v", rows, err)
	}
}

var pathParams = regexp.MustCompile(`\{[^}]+\}`)

// API.md errors: never 500 for bad input — every documented POST, PUT and
// PATCH answers garbage with a 4xx.
func TestGarbageBodiesNever500(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{})
	doc := openAPIDoc(t, s)
	bodies := map[string]string{
		"truncated":     `{`,
		"array":         `[]`,
		"unknown field": `{"x":1}`,
		"2 MB string":   `"` + strings.Repeat("x", 2<<20) + `"`,
	}
	tokens := map[string]string{
		"city_officer":   stacktest.Token(t, cityP),
		"admin":          stacktest.Token(t, adminP),
		"county_officer": stacktest.Token(t, auth.Principal{Sub: "officer-anning", Role: auth.CountyOfficer, County: "530181"}),
		"applicant":      stacktest.Token(t, applicantP),
		"expert":         stacktest.Token(t, auth.Principal{Sub: "EXP01", Role: auth.Expert}),
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if method != "POST" && method != "PUT" && method != "PATCH" {
				continue
			}
			url := pathParams.ReplaceAllString(path, "x")
			for role, tok := range tokens {
				for name, body := range bodies {
					for _, h := range [][]string{nil, {"Idempotency-Key", "garbage-" + name}} {
						n++
						if r := s.Do(method, url, tok, body, h...); r.Status >= 500 {
							t.Errorf("%s %s as %s with %s body (headers %v): %d %.300s", method, url, role, name, h, r.Status, r.Body)
						}
					}
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d requests: /openapi.json documents too few writes", n)
	}
}

// API.md auth (a token that leaked): `laborbrand token revoke --sub S`
// refuses every token of S issued before the revocation — 401, saying so —
// while a token of S minted afterwards, and other subjects' tokens, work.
func TestARevokedSubjectsEarlierTokensAreRefused(t *testing.T) {
	s := stacktest.Start(t, stacktest.Options{NoWorker: true, RevocationsFor: time.Millisecond})
	issued := time.Now().Add(-time.Minute).Truncate(time.Second)
	leaked, err := auth.Sign(stacktest.Secret, cityP, issued, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other := stacktest.Token(t, auth.Principal{Sub: "city-registry", Role: auth.CityOfficer})
	if r := s.Do("GET", "/api/v1/rounds", leaked, nil); r.Status != 200 {
		t.Fatalf("before the revocation: %d", r.Status)
	}
	revokedBefore := issued.Add(30 * time.Second)
	if err := s.Store.RevokeTokens(context.Background(), cityP.Sub, revokedBefore,
		store.AccountChange{At: time.Now(), Actor: "cli:ops", Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	e := apiError(t, s.Do("GET", "/api/v1/rounds", leaked, nil), 401, "unauthorized")
	if msg, _ := e["message"].(string); !strings.Contains(msg, "已被吊销") {
		t.Errorf("the refusal does not say the token was revoked: %q", msg)
	}
	fresh, err := auth.Sign(stacktest.Secret, cityP, revokedBefore, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Do("GET", "/api/v1/rounds", fresh, nil); r.Status != 200 {
		t.Errorf("a token minted after the revocation: %d, want 200", r.Status)
	}
	if r := s.Do("GET", "/api/v1/rounds", other, nil); r.Status != 200 {
		t.Errorf("another subject's token: %d, want 200", r.Status)
	}
	var audited int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'token.revoke' AND object_id = $1`,
		cityP.Sub).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("audit rows of the revocation: %d (%v), want 1", audited, err)
	}
}
