package form_test

import (
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// 第五条 and its RULES §2 Decision — a name without a Kunming place name is warned about, never
// blocked.
func Test第五条_NameWithoutAKunmingPlaceIsWarnedNeverBlocked(t *testing.T) {
	tests := []struct {
		name, brand string
		warn        bool
	}{
		{"昆明 is a place name", "昆明家政", false},
		{"a county's short name (安宁)", "安宁玫瑰", false},
		{"a county's full name (石林彝族自治县)", "石林彝族自治县刺绣", false},
		{"an autonomous county's short name (禄劝)", "禄劝苗绣", false},
		{"寻甸", "寻甸牛肉师傅", false},
		{"宜良", "宜良烤鸭师", false},
		{"嵩明", "嵩明花木工", false},
		{"呈贡", "呈贡花农", false},
		{"the place may stand anywhere in the name", "金牌月嫂·官渡", false},
		{"滇 alone is not enough", "滇味厨师", true},
		{"云南 is the province, not Kunming", "云南过桥米线", true},
		{"no place at all", "金牌月嫂", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := form.NameWarnings(tt.brand)
			if (len(got) > 0) != tt.warn {
				t.Errorf("NameWarnings(%q) = %v, want warning %v", tt.brand, got, tt.warn)
			}
		})
	}
	a := regionalForm()
	a.BrandName = "金牌月嫂"
	if errs := form.Validate(a, onDate); len(errs) != 0 {
		t.Errorf("a name warning must not block: Validate = %v", errs)
	}
}

// TestCounties: RULES §1 — the 14 county-level divisions of Kunming from the reference data.
func TestCounties(t *testing.T) {
	cs := form.Counties()
	if len(cs) != 14 || cs[0].Code != "530102" || cs[13].Code != "530181" {
		t.Fatalf("Counties = %v, want the 14 codes 530102…530181", cs)
	}
	var short []string
	for _, c := range cs {
		short = append(short, c.ShortName())
	}
	want := []string{"五华", "盘龙", "官渡", "西山", "东川", "呈贡", "晋宁", "富民", "宜良", "石林", "嵩明", "禄劝", "寻甸", "安宁"}
	if !slices.Equal(short, want) {
		t.Errorf("short names = %v, want %v", short, want)
	}
	cs[0].Name = "changed"
	if form.Counties()[0].Name != "五华区" {
		t.Error("Counties must return a copy")
	}
	for code, want := range map[string]string{"530181": "安宁市", "530128": "禄劝彝族苗族自治县", "530100": "", "": ""} {
		if got := form.CountyName(code); got != want {
			t.Errorf("CountyName(%q) = %q, want %q", code, got, want)
		}
	}
}

// TestLabels: 第六条, 第七条 and 附件1 — codes and the names printed on the form.
func TestLabels(t *testing.T) {
	want := []string{"种植养殖类", "制造类", "建筑类", "住宿餐饮类", "居民服务类", "文旅手工艺类", "新兴产业类（新业态类）", "其他"}
	var got []string
	for _, c := range form.Categories {
		got = append(got, c.Label())
	}
	if !slices.Equal(got, want) {
		t.Errorf("category labels = %v, want %v", got, want)
	}
	if form.Category("tourism").Label() != "" || form.Category("tourism").Valid() {
		t.Error("an unknown category must have no label")
	}
	if form.Regional.Label() != "区域公用劳务品牌" || form.Enterprise.Label() != "企业劳务品牌" || form.BrandType("x").Valid() {
		t.Error("brand type labels")
	}
	if form.FieldLabel("development_plan") != "品牌建设及发展规划简介" || form.FieldLabel("nope") != "nope" {
		t.Error("field labels")
	}
}
