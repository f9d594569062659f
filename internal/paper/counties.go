package paper

import "github.com/kunming-hrss/laborbrand/internal/domain/form"

// CountyNames names the 初审 units by code, as review_units has them
// (store.CountyNames): the 14 counties and the functional zones added
// since (RULES §1). A print that has none, or lacks a code, looks it up in
// the 14 counties, so a nil CountyNames prints as before.
type CountyNames map[string]string

// Name is the county's or functional zone's name; the code itself when
// neither list knows it, so that a brand's place is never printed blank.
func (n CountyNames) Name(code string) string {
	if name := n[code]; name != "" {
		return name
	}
	if name := form.CountyName(code); name != "" {
		return name
	}
	return code
}
