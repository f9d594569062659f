package console

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// People (a page reloaded): htmx records a boosted form's address in the
// browser's history, and a reload or Back asks it with GET. An address that
// only takes a form leads, by a redirect, to the nearest page above it —
// the brand's page for its action form — not to the API's JSON refusal.
func TestAFormsAddressAskedWithGETLeadsToItsPage(t *testing.T) {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	cs := &Console{routes: r.Routes}
	ok := func(c *gin.Context) { c.Status(http.StatusOK) }
	r.GET("/brands/:id", ok)
	r.POST("/brands/:id/act/:action", ok)
	r.GET("/holder/applications", ok)
	r.POST("/holder/applications/:id/attachments", ok)
	r.POST("/logout", ok)
	r.NoMethod(cs.MethodNotAllowed)
	for path, want := range map[string]string{
		"/brands/B1/act/evaluation":           "/brands/B1",
		"/brands/B%3F1/act/evaluation":        "/brands/B%3F1",
		"/holder/applications/A1/attachments": "/holder/applications",
		"/logout":                             "/",
	} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
			t.Errorf("GET %s: %d %s, want 303 to %s", path, w.Code, w.Header().Get("Location"), want)
		}
	}
	// A HEAD of a page (a monitor, a link checker) answers as its GET, not
	// by a redirect to itself.
	for _, path := range []string{"/brands/B1", "/holder/applications"} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodHead, path, nil))
		if w.Code != http.StatusOK || w.Header().Get("Location") != "" {
			t.Errorf("HEAD %s: %d %s, want 200", path, w.Code, w.Header().Get("Location"))
		}
	}
}

// Public forms (an objection, a report, registration, the sign-in) sent
// with the cookie of an ended session are not told to sign in again: they
// never needed a sign-in.
func TestAPublicFormIsNeverToldToSignInAgain(t *testing.T) {
	for path, want := range map[string]bool{"/public/notices/A1/objection": true, "/public/report": true, "/register": true,
		"/login": true, "/brands/B1/act/finding": false, "/holder/apply": false, "/login/totp": false, "/register/confirm": false} {
		if got := signedOutForm(path); got != want {
			t.Errorf("signedOutForm(%s) = %v, want %v", path, got, want)
		}
	}
}

// 第十二条 (experts drawn avoid their own county's applications): an expert
// of the city itself (530100, as the API takes it) can be entered from the
// console — not only under a county, whose draws would then wrongly pass
// the expert by — and is listed as the city's, not by its bare code.
func TestAnExpertOfTheCityCanBeEntered(t *testing.T) {
	counties := expertCounties()
	if last := counties[len(counties)-1]; last.Value != "530100" || len(counties) != 15 {
		t.Errorf("the expert form's places: %d, last %+v; want the 14 counties and the city (530100)", len(counties), last)
	}
	if got := countyName("530100"); got != "昆明市（市级）" {
		t.Errorf("an expert of 530100 is listed as %q, want 昆明市（市级）", got)
	}
}
