package console

import (
	"net/url"
	"testing"
)

// RULES §3 (a long text may hold newlines): a form the browser sends itself
// — no script — carries a textarea's line breaks as CRLF, which the API
// refuses as a control character (U+000D); the console makes them LF before
// any handler reads the form, a lone CR too.
func TestAFormsLineBreaksReachTheAPIAsNewlines(t *testing.T) {
	v := url.Values{"development_plan": {"第一段。\r\n第二段。\r\n"}, "note": {"旧式\r换行"}, "brand_name": {"安宁玫瑰"}}
	lineBreaksToLF(v)
	for k, want := range map[string]string{"development_plan": "第一段。\n第二段。\n", "note": "旧式\n换行", "brand_name": "安宁玫瑰"} {
		if got := v.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}
