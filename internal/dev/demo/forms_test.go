package demo_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

func TestScenarioUSCCsPassTheCheckCharacter(t *testing.T) {
	for _, s := range demo.Scenarios() {
		if err := uscc.Validate(s.Form["uscc"].(string)); err != nil {
			t.Errorf("%s: %v", s.Form["brand_name"], err)
		}
	}
}
