package api_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
