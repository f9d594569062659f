package faults_test

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// binary is the laborbrand executable built once by TestMain.
var binary string

func TestMain(m *testing.M) { testenv.MainWithBinary(m, &binary) }
