package form

import "strings"

// placeNames are the Kunming place names a brand name may show: 昆明 itself and every county's
// full and short name. 滇 alone names the province, not Kunming, so it is not one of them.
var placeNames = func() []string {
	names := []string{"昆明"}
	for _, c := range counties {
		names = append(names, c.Name, c.ShortName())
	}
	return names
}()

// NameWarnings returns the soft warnings on a brand name (第五条: the name shows the locality and
// the skill). RULES §2 Decision: they are shown to reviewers and never block submission. Today
// the one warning is a name without a Kunming place name; nil means no warning.
func NameWarnings(name string) []string {
	for _, p := range placeNames {
		if strings.Contains(name, p) {
			return nil
		}
	}
	return []string{"品牌名称未体现地名（如云南、昆明、安宁、石林或乡镇名），请评审时关注（第五条）"}
}
