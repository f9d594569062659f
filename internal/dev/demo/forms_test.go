package demo_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

func TestScenarioUSCCsPassTheCheckCharacter(t *testing.T) {
	forms := []demo.Form{}
	for _, s := range demo.Scenarios() {
		forms = append(forms, s.Form)
	}
	for _, f := range demo.InFlights() {
		forms = append(forms, f.Form)
	}
	for _, f := range forms {
		if err := uscc.Validate(f["uscc"].(string)); err != nil {
			t.Errorf("%s: %v", f["brand_name"], err)
		}
	}
}
