package demo

import (
	"time"

	"github.com/kunming-hrss/laborbrand/internal/domain/uscc"
)

// RunTag is three USCC characters from the clock, so that runs of a load
// tool against the same stack submit distinct brands and holders.
func RunTag() string {
	n := time.Now().Unix()
	b := make([]byte, 3)
	for i := range b {
		b[i] = uscc.Alphabet[n%31]
		n /= 31
	}
	return string(b)
}
