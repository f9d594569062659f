package console

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// A stored 推荐表 read back into the page's values and sent again is the
// same form: a returned application resubmitted unchanged says what it said.
func TestHolderForm_AStoredFormRoundTripsThroughThePage(t *testing.T) {
	for name, f := range map[string]demo.Form{"regional": demo.Rose(), "enterprise": demo.Embroidery()} {
		var stored map[string]any
		raw, _ := json.Marshal(f)
		_ = json.Unmarshal(raw, &stored)
		body, errs := applicationBody(formValuesOf(stored))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		var again map[string]any
		raw, _ = json.Marshal(body)
		_ = json.Unmarshal(raw, &again)
		if !reflect.DeepEqual(stored, again) {
			t.Errorf("%s:\nstored %v\nsent   %v", name, stored, again)
		}
	}
}

// What cannot be read as a number is named by the page and left out of the
// body, so the API judges every other field.
func TestHolderForm_UnreadableNumbersAreNamedBesideTheirFields(t *testing.T) {
	body, errs := applicationBody(map[string]string{"direct_employees": "三千", "labor_income_wan": "1,200.5", "brand_name": "安宁玫瑰"})
	if errs["direct_employees"] == "" || body["direct_employees"] != nil {
		t.Errorf("三千: %v %v", errs, body["direct_employees"])
	}
	if body["labor_income_wan"] != 1200.5 || errs["labor_income_wan"] != "" {
		t.Errorf("1,200.5: %v %v", errs, body["labor_income_wan"])
	}
	// "inf" and "NaN" parse as floats, and are no figures.
	for _, typed := range []string{"inf", "NaN", "-Inf"} {
		if _, ok := readNumber(typed, true); ok {
			t.Errorf("%q read as a number", typed)
		}
	}
	// A Chinese input method's full-width digits are digits.
	body, errs = applicationBody(map[string]string{"direct_employees": "１２００", "labor_income_wan": "１，２００．５"})
	if body["direct_employees"] != int64(1200) || body["labor_income_wan"] != 1200.5 || len(errs) != 0 {
		t.Errorf("full-width: %v %v", body, errs)
	}
}

// The checklist follows the values typed: 第八条（二）'s 超过1000人 is not met
// by 1000 and is by 1001, and the line names its article.
func TestHolderForm_第八条_TheLiveChecklistFollowsTheNumbersTyped(t *testing.T) {
	result := func(n string) (string, string) {
		for _, c := range eligibilityOf(map[string]string{"brand_type": "regional", "direct_employees": n}) {
			if c.Criterion == "direct_employees" {
				return c.Result, c.Article
			}
		}
		return "", ""
	}
	if r, art := result("1000"); r != "not_met" || art != "第八条（二）" {
		t.Errorf("1000: %s %s", r, art)
	}
	if r, _ := result("1001"); r != "met" {
		t.Errorf("1001: %s", r)
	}
}

// Every error the API's check of a 推荐表 can give is shown under a field of
// the page: an empty form of either type, an entry of 荣誉 too long, and a
// registered trademark with no number. The API names "trademark" and
// "honours[1]" where the page has 商标是否注册 and one 荣誉 box; those errors
// were dropped while the page said every error was marked.
func TestHolderForm_EveryErrorOfTheFormsCheckLandsUnderAField(t *testing.T) {
	var forms []form.Application
	for _, typ := range []form.BrandType{form.Regional, form.Enterprise} {
		forms = append(forms, form.Application{BrandType: string(typ)})
	}
	var rose form.Application
	raw, _ := json.Marshal(demo.Rose())
	if err := json.Unmarshal(raw, &rose); err != nil {
		t.Fatal(err)
	}
	rose.Honours = []string{"2024年度云南省劳务品牌", strings.Repeat("荣", form.ListItemMax+1), strings.Repeat("誉", form.ListItemMax+1)}
	yes := true
	rose.Trademark = &form.Trademark{Registered: &yes}
	forms = append(forms, rose)

	for _, a := range forms {
		errs := form.Validate(a, form.Options{Today: "2026-11-30"})
		fields := map[string]string{}
		for _, e := range errs {
			fields[e.Field] = e.Message
		}
		placed, unplaced := placeErrors(fields)
		if len(unplaced) > 0 {
			t.Errorf("%s form: errors with no field on the page: %v (of %v)", a.BrandType, unplaced, fields)
		}
		for name := range placed {
			if _, ok := applyFieldByName(name); !ok {
				t.Errorf("%s form: error placed under %q, which the page does not have", a.BrandType, name)
			}
		}
	}
	placed, _ := placeErrors(map[string]string{"honours[1]": "第2项过长", "honours[2]": "第3项过长", "trademark": "请填写商标情况"})
	if placed["honours"] != "第2项过长；第3项过长" || placed["trademark.registered"] != "请填写商标情况" {
		t.Errorf("placed: %v", placed)
	}
	if _, unplaced := placeErrors(map[string]string{"no_such_field": "某项有误"}); len(unplaced) != 1 || unplaced[0] != "某项有误" {
		t.Errorf("an error for no field of the page: %v, want it kept for the page's message", unplaced)
	}
}

// 第十条: with two rounds open, a new application says which it is for —
// the form offers them, keeping the one chosen across its pages.
func TestHolderForm_TwoOpenRoundsAreChosenBetween(t *testing.T) {
	gin.SetMode(gin.TestMode)
	cs := New(nil, []byte("secret-secret-secret-secret-secret"), nil, DefaultConfig)
	v := applyView{Sections: applySections, Values: map[string]string{"round_id": "R2"}, Errors: map[string]string{}, Action: "/holder/apply",
		Rounds: []option{{"R1", "2026年第一批（2026-03-01 至 2026-06-30）"}, {"R2", "2026年专项批次（2026-05-01 至 2026-05-31）"}}}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/holder/apply", nil)
	cs.render(c, 200, "holder_apply", "填写推荐表", v)
	body := w.Body.String()
	for _, want := range []string{`<select id="f-round_id" name="round_id" required>`, `<option value="R1">2026年第一批（2026-03-01 至 2026-06-30）</option>`,
		`<option value="R2" selected>2026年专项批次`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	v.Rounds = nil // one round open: nothing to choose
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/holder/apply", nil)
	cs.render(c, 200, "holder_apply", "填写推荐表", v)
	if strings.Contains(w.Body.String(), `name="round_id"`) {
		t.Error("one round open, and the form asks for one")
	}
}

// 第十条 materials: an upload's file sent again after its answer was lost
// is the same request under its key — byte for byte, or the API refuses it
// as another request under the same key.
func TestAnUploadSentAgainIsTheSameRequest(t *testing.T) {
	key := "upload-U" + newToken()[:20]
	file := "\x89PNG…"
	ct1, first, framing, err := attachmentBody("licence", "执照.png", strings.NewReader(file), key)
	if err != nil {
		t.Fatal(err)
	}
	ct2, again, _, _ := attachmentBody("licence", "执照.png", strings.NewReader(file), key)
	b1, _ := io.ReadAll(first)
	b2, _ := io.ReadAll(again)
	if ct1 != ct2 || !bytes.Equal(b1, b2) {
		t.Error("the same file under the same key made two different requests")
	}
	// Its length is stated to the API (the room it takes on disk): the
	// framing and the file, exactly.
	if int(framing)+len(file) != len(b1) {
		t.Errorf("framing %d + file %d bytes, but the body has %d", framing, len(file), len(b1))
	}
	// And a well-formed one: the file whole in its part.
	r := multipart.NewReader(bytes.NewReader(b1), strings.TrimPrefix(ct1, "multipart/form-data; boundary="))
	var parts []string
	for p, err := r.NextPart(); err == nil; p, err = r.NextPart() {
		v, _ := io.ReadAll(p)
		parts = append(parts, p.FormName()+"="+string(v))
	}
	if !slices.Equal(parts, []string{"kind=licence", "file=\x89PNG…"}) {
		t.Errorf("parts %q", parts)
	}
}
