package workflows_test

import (
	"errors"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// RULES §1 Decision: a functional zone's brand answers to the bureau its
// zone is pointed at. Told a newer revision of the zone, it answers to the
// new bureau — the old one's findings are refused, the new one's taken —
// while an older revision arriving late changes nothing, and only an
// operator (or the zone's fan-out, as the system) tells it.
func TestDecision_AZoneBrandAnswersToTheBureauItWasToldLast(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.in.CountyCode, h.in.ReviewerCode, h.in.ReviewerRevision = "530199", "530112", 2
	system := workflows.Actor{Sub: "system", Role: "system"}
	admin := workflows.Actor{Sub: "admin", Role: "admin"}
	xishan := workflows.Actor{Sub: "officer-xishan", Role: "county_officer", County: "530112"}
	guandu := workflows.Actor{Sub: "officer-guandu", Role: "county_officer", County: "530111"}

	h.refused("2026-03-02", workflows.UpdateBureau, workflows.BureauChange{Actor: xishan, Bureau: "530111", Revision: 3}, workflows.RejectForbidden, nil)
	h.refused("2026-03-02", workflows.UpdateBureau, workflows.BureauChange{Actor: admin, Bureau: "530199", Revision: 3}, workflows.RejectInvalid, nil)
	h.update("2026-03-02", workflows.UpdateBureau, workflows.BureauChange{Actor: system, Bureau: "530111", Revision: 3}, ok(t, "revision 3"))
	h.update("2026-03-03", workflows.UpdateBureau, workflows.BureauChange{Actor: system, Bureau: "530112", Revision: 2}, func(err error) {
		var known *temporal.ApplicationError
		if !errors.As(err, &known) || known.Type() != workflows.BureauKnownError {
			t.Errorf("revision 2 after 3: %v, want refused as known", err)
		}
	})
	finding := workflows.FindingRequest{FindingID: "F1", Reason: "logo_misuse", Description: "标识变形"}
	old := finding
	old.Actor = xishan
	h.refused("2026-03-04", workflows.UpdateFinding, old, workflows.RejectForbidden, nil)
	now := finding
	now.Actor = guandu
	h.update("2026-03-04", workflows.UpdateFinding, now, ok(t, "the new bureau's finding"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		if st.Status != workflows.BrandStatusRectifying {
			t.Errorf("after the new bureau's finding: %s", st.Status)
		}
	})
	h.run("2026-03-10")
}

// RULES §1: a county's own brand is its bureau's; no operator points it
// elsewhere.
func TestDecision_ACountysBrandIsNotPointedElsewhere(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.refused("2026-03-02", workflows.UpdateBureau, workflows.BureauChange{Actor: workflows.Actor{Sub: "admin", Role: "admin"}, Bureau: "530111", Revision: 1},
		workflows.RejectConflict, nil)
	h.run("2026-03-03")
}
