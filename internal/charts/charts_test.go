package charts_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/charts"
)

// The SVG is well-formed XML, names every group and series, draws a bar per
// value in proportion, and escapes what it prints.
func TestSVGDrawsEveryValue(t *testing.T) {
	c := charts.Chart{Name: "deadlines", Title: "办理时限 <按期/逾期>", Unit: "件", Series: []string{"按期", "逾期"}, Stacked: true,
		Groups: []charts.Group{{Label: "市人社局", Values: []float64{30, 10}}, {Label: "安宁市", Values: []float64{5, 0}}}}
	svg := string(charts.SVG(c))
	if err := xml.Unmarshal([]byte(svg), new(any)); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	for _, want := range []string{"办理时限 &lt;按期/逾期&gt;", "市人社局", "安宁市", "按期", "逾期", "40件", "5件", "市人社局 逾期：10件"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "http://") && !strings.Contains(svg, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Error("the SVG loads or runs something")
	}
	// The longest stack (40) fills the plot; 30 is three quarters of it.
	if !strings.Contains(svg, `width="520.0"`) && !strings.Contains(svg, `width="390.0"`) {
		t.Errorf("bars not in proportion:\n%s", svg)
	}
}

func TestFormat(t *testing.T) {
	c := charts.Chart{Unit: "天"}
	for v, want := range map[float64]string{3: "3天", 8.8: "8.8天", 0.25: "0.2天"} {
		if got := c.Format(v); got != want {
			t.Errorf("Format(%v) = %q, want %q", v, got, want)
		}
	}
}

// RULES §1 (a functional zone's name is up to 40 characters): a group's
// label longer than its column holds is shortened with "…" on the chart,
// and named whole in its tooltip.
func TestSVGShortensALongLabel(t *testing.T) {
	long := "昆明国家级经济技术开发区暨综合保税区"
	svg := string(charts.SVG(charts.Chart{Title: "各县（市、区）劳务品牌", Series: []string{"现有"},
		Groups: []charts.Group{{Label: long, Values: []float64{3}}}}))
	if !strings.Contains(svg, "<title>"+long+"</title>昆明国家级经济技术开发…</text>") {
		t.Errorf("the long label is not shortened with its name in the tooltip:\n%s", svg)
	}
	if got := charts.Shorten("安宁市", 12); got != "安宁市" {
		t.Errorf("a short label changed: %q", got)
	}
}
