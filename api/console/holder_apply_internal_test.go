package console

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// 附件1 (honours and patents: up to form.ListItemsMax entries of
// form.ListItemMax characters) and RULES §3 (bounded input): a list as long
// as the form allows reaches the API whole — it was cut at 4,000
// characters, mid-entry, without a word — and a longer one is kept far
// enough for the API to refuse it by its count; a text field stays bounded.
func TestAPostedListIsReadWholeUpToItsLimit(t *testing.T) {
	entry := strings.Repeat("荣", form.ListItemMax)
	full := strings.TrimSuffix(strings.Repeat(entry+"\n", form.ListItemsMax), "\n")
	tooMany := strings.TrimSuffix(strings.Repeat(entry+"\n", form.ListItemsMax+10), "\n")
	posted := url.Values{"honours": {full}, "patents_standards": {tooMany}, "typical_persons": {strings.Repeat("人", 5000)}}
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/holder/apply", strings.NewReader(posted.Encode()))
	c.Request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	values := postedValues(c, "91530181MA6K00090E")
	if values["honours"] != full {
		t.Errorf("honours of %d entries: %d characters kept of %d", form.ListItemsMax, utf8.RuneCountInString(values["honours"]), utf8.RuneCountInString(full))
	}
	if n := len(strings.Split(values["patents_standards"], "\n")); n != form.ListItemsMax+10 {
		t.Errorf("a list of %d entries: %d kept, want all, for the API to count", form.ListItemsMax+10, n)
	}
	if n := utf8.RuneCountInString(values["typical_persons"]); n != postedValueMax {
		t.Errorf("a text of 5,000 characters: %d kept, want %d", n, postedValueMax)
	}
}
