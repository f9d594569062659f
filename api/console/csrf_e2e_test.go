package console_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/internal/dev/stacktest"
	"github.com/kunming-hrss/laborbrand/store"
)

// Hostile input on public paths is bounded (RULES §3, "Bad and hostile
// input"): a stranger's POST to an upload's path is refused by its size
// before its form is read, with or without the sign-in forms' cookie, and
// a signed-out page renews that cookie, so a form read for an hour is still
// accepted.
func TestSignedOutPostsAreBoundedBeforeTheirFormIsRead(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	page, err := http.Get(s.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	var nonce *http.Cookie
	for _, c := range page.Cookies() {
		if c.Name == "lb_login" {
			nonce = c
		}
	}
	if nonce == nil || nonce.MaxAge != 3600 {
		t.Fatalf("the sign-in page's cookie: %+v", nonce)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", "x")
	fw, _ := mw.CreateFormFile("file", "big.bin")
	fw.Write(bytes.Repeat([]byte{'a'}, 5<<20))
	mw.Close()
	for _, withCookie := range []bool{false, true} {
		req, _ := http.NewRequest("POST", s.URL+"/holder/applications/A1/attachments", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if withCookie {
			req.AddCookie(nonce)
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(text), "提交的内容过大") {
			t.Errorf("5 MB signed out (cookie %v): %d %.200s", withCookie, r.StatusCode, text)
		}
	}

	// The same page shown again renews the cookie it carries.
	req, _ := http.NewRequest("GET", s.URL+"/login", nil)
	req.AddCookie(nonce)
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	renewed := false
	for _, c := range again.Cookies() {
		renewed = renewed || (c.Name == "lb_login" && c.Value == nonce.Value && c.MaxAge == 3600)
	}
	if !renewed {
		t.Errorf("the page shown again did not renew the cookie: %v", again.Header.Values("Set-Cookie"))
	}
}

// The sign-in page does not tell which names exist: a wrong password for an
// officer's account and any password for a name nobody has get the same
// answer, try after try.
func TestSignInAnswersTheSameForANameThatDoesNotExist(t *testing.T) {
	cfg := console.DefaultConfig
	s := stacktest.Start(t, stacktest.Options{Console: &cfg, Clock: clockAt("2026-03-02", 1), NoWorker: true})
	addAccount(t, s, store.Account{Username: "anning-officer", Role: "county_officer", County: "530181"})
	answers := func(username string) []string {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		var out []string
		for range 3 {
			page, err := client.Get(s.URL + "/login")
			if err != nil {
				t.Fatal(err)
			}
			html, _ := io.ReadAll(page.Body)
			page.Body.Close()
			token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(html)
			if token == nil {
				t.Fatalf("no csrf field on the sign-in page")
			}
			r, err := client.PostForm(s.URL+"/login", url.Values{"csrf": {string(token[1])}, "username": {username}, "password": {"Wrong-Password-1"}})
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(r.Body)
			r.Body.Close()
			msg := regexp.MustCompile(`用户名或密码错误。[^<]*`).Find(body)
			out = append(out, fmt.Sprintf("%d %s", r.StatusCode, msg))
		}
		return out
	}
	known, unknown := answers("anning-officer"), answers("no-such-officer")
	if !slices.Equal(known, unknown) || !strings.Contains(known[2], "401 用户名或密码错误。连续失败 5 次") {
		t.Errorf("an existing name is answered %q, an unknown one %q", known, unknown)
	}
}
