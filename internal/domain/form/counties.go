package form

import (
	_ "embed"
	"fmt"
	"strings"
)

// kunmingDivisions lists Kunming's 14 county-level divisions (RULES §1): code, name, type.
//
//go:embed kunming_divisions.tsv
var kunmingDivisions string

// County is one county-level division of Kunming (RULES §1), where a brand is recommended (第十条).
type County struct {
	Code string `json:"code"` // administrative division code, e.g. "530181"
	Name string `json:"name"` // e.g. "安宁市"
	Type string `json:"type"` // 区, 县, 自治县 or 县级市
}

// ShortName is the place name without the division type or, for an autonomous county, the
// peoples: "安宁" for 安宁市, "石林" for 石林彝族自治县. Every Kunming county-level name is a
// two-character place name followed by those, so it is the first two characters.
func (c County) ShortName() string {
	r := []rune(c.Name)
	if len(r) <= 2 {
		return c.Name
	}
	return string(r[:2])
}

var counties = mustParseCounties(kunmingDivisions)

func mustParseCounties(tsv string) []County {
	var out []County
	for i, line := range strings.Split(strings.TrimSpace(tsv), "\n") {
		if i == 0 {
			continue // header
		}
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) != 3 || f[0] == "" || f[1] == "" {
			panic(fmt.Sprintf("form: kunming_divisions.tsv line %d: want code, name, type: %q", i+1, line))
		}
		out = append(out, County{Code: f[0], Name: f[1], Type: f[2]})
	}
	return out
}

// Counties returns the 14 county-level divisions of Kunming in code order. The slice is a copy.
func Counties() []County {
	return append([]County(nil), counties...)
}

// CountyName returns the name of the division with the given code, or "" when there is none.
func CountyName(code string) string {
	for _, c := range counties {
		if c.Code == code {
			return c.Name
		}
	}
	return ""
}

// isKunmingCounty is the default Options.KnownCounty.
func isKunmingCounty(code string) bool { return CountyName(code) != "" }
