package workflows_test

import (
	"context"
	"strings"
	"testing"

	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/testsuite"

	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// A brand admitted before the system (the import of issue 14; dev --demo)
// has no application: its process's first step writes the brand's record.
// What the Temporal UI shows of it — the current details — says where it
// stands, what is due and who took the last step, by role.
func TestImportedBrandWritesItsRecordAndSaysWhereItStands(t *testing.T) {
	in := workflows.BrandInput{BrandID: "BIMP0001", Name: "晋宁花木工", BrandType: "regional", Category: "planting_breeding",
		CountyCode: "530115", UnitName: "昆明市晋宁区花木产业协会", USCC: demo.USCC("5153011500000011"),
		AdmittedOn: date("2025-09-15"), Policy: workflows.DefaultBrandPolicy, Imported: true}
	h := &brandHarness{t: t, store: testenv.Store(t), in: in, start: at("2026-11-30", 9)}
	county := workflows.Actor{Sub: "officer-jinning", Role: "county_officer", County: "530115"}
	h.update("2026-12-01", workflows.UpdateFinding, workflows.FindingRequest{Actor: county, FindingID: "FD-IMP-1",
		Reason: "logo_misuse", Description: "标识使用不规范"}, ok(t, "level-1 finding"))
	var details string
	h.later(at("2026-12-02", 10), func() { details = h.currentDetails() })
	h.run("2026-12-03")

	v, err := h.store.GetBrandView(context.Background(), in.BrandID, false)
	if err != nil {
		t.Fatalf("the imported brand has no record: %v", err)
	}
	if v.Status != workflows.BrandStatusRectifying || v.ApplicationID != "" || v.AdmittedOn != "2025-09-15" || v.Name != in.Name {
		t.Errorf("record = status %q, application %q, admitted %q, name %q; want rectifying, none, 2025-09-15, %s",
			v.Status, v.ApplicationID, v.AdmittedOn, v.Name, in.Name)
	}
	for _, want := range []string{"晋宁花木工 · 晋宁区 · 动态管理", "状态：整改中（rectifying） · 第十五条（一）",
		"一级整改期限 2027-01-0", "下次评估：2027-09-15", "两年评估开始 2027-09-15", "最近一步：认定问题，一级整改 · 县（市、区）人社部门 · 2026-12-01"} {
		if !strings.Contains(details, want) {
			t.Errorf("current details lack %q:\n%s", want, details)
		}
	}
	for _, never := range []string{"officer-jinning", "标识使用不规范"} { // a person, an officer's words
		if strings.Contains(details, never) {
			t.Errorf("current details show %q:\n%s", never, details)
		}
	}
}

// 附件2: a change the city approves renames the brand and its holder in the
// registry; what the Temporal UI shows of the process — its current
// details — names the brand as it is now, not as it was admitted, so that
// a supervisor finds it by the name the registry shows.
func TestChangeApproved_TheProcessDetailsNameTheBrandAsItIsNow(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	change := workflows.ChangeRequest{Actor: brandHolder(), ChangeID: "C1", Major: true, NewName: "安宁新名称工匠", NewUnitName: "安宁市新名称职业培训学校"}
	h.later(at("2026-03-02", 9), func() { h.saveChange("C1") })
	h.update("2026-03-02", workflows.UpdateChangeRequest, change, ok(t, "change request"))
	h.update("2026-03-03", workflows.UpdateChangeOpinion, workflows.ChangeOpinionRequest{Actor: county530181(), ChangeID: "C1", Approve: true, Opinion: "同意"}, ok(t, "county"))
	h.update("2026-03-04", workflows.UpdateChangeOpinion, workflows.ChangeOpinionRequest{Actor: cityOfficer(), ChangeID: "C1", Approve: true, Opinion: "同意"}, ok(t, "city"))
	var details string
	h.later(at("2026-03-05", 9), func() { details = h.currentDetails() })
	h.run("2026-03-06")

	for _, want := range []string{"**安宁新名称工匠 · ", "持有单位（已变更）：安宁市新名称职业培训学校"} {
		if !strings.Contains(details, want) {
			t.Errorf("current details lack %q:\n%s", want, details)
		}
	}
	if strings.Contains(details, "**"+h.in.Name+" · ") {
		t.Errorf("current details name the brand as admitted (%s):\n%s", h.in.Name, details)
	}
}

// currentDetails is what the Temporal UI shows as the process's current
// details.
func (h *brandHarness) currentDetails() string {
	h.t.Helper()
	return currentDetailsOf(h.t, h.env)
}

// currentDetailsOf is what the Temporal UI shows as the current details of
// the process env runs (its metadata query).
func currentDetailsOf(t *testing.T, env *testsuite.TestWorkflowEnvironment) string {
	t.Helper()
	v, err := env.QueryWorkflow("__temporal_workflow_metadata")
	if err != nil {
		t.Fatalf("metadata query: %v", err)
	}
	var md sdkpb.WorkflowMetadata
	if err := v.Get(&md); err != nil {
		t.Fatalf("metadata: %v", err)
	}
	return md.GetCurrentDetails()
}
