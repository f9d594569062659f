package api

import (
	"testing"

	"github.com/kunming-hrss/laborbrand/calendar"
)

// RULES §5: a preview lists what the load would move. A renewal window is
// counted back from a suspension's end (LB_RENEWAL_LEAD_DAYS working days):
// one ending early in the loaded year opens before it, the further back the
// longer the lead. The preview reaches back that far, not a fixed November.
func TestThePreviewReachesBackByTheRenewalWindow(t *testing.T) {
	for _, tc := range []struct {
		lead int
		want string
	}{{20, "2026-09-25"}, {0, "2026-10-25"}, {200, "2025-12-29"}} {
		if got := previewSince(2027, tc.lead).String(); got != tc.want {
			t.Errorf("a lead of %d working days: the preview reaches back to %s, want %s", tc.lead, got, tc.want)
		}
	}
	// 200 working days before 2027-01-04 is well after the day reached.
	if start := calendar.NewDate(2027, 1, 4).AddDays(-200 * 7 / 5); start.Before(previewSince(2027, 200)) {
		t.Errorf("200 working days back from 2027-01-04 (≈%s) is before the preview's reach", start)
	}
}
