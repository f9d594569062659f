package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// fileReport files report id on the brand now (inside a callback).
func (h *brandHarness) fileReport(id string, tell bool) { fileReportIn(h, id, tell) }

// reportMatter is "id due" of st's triage matter, "" when none is open;
// it fails the test when more than one is armed.
func reportMatter(t *testing.T, st workflows.BrandState) string {
	var out []string
	for _, d := range st.Deadlines.Items {
		if id, found := strings.CutPrefix(d.Key, "report_triage:"); found {
			out = append(out, id+" "+d.Value().Due.String())
		}
	}
	if len(out) > 1 {
		t.Errorf("%d triage matters armed: %v", len(out), out)
	}
	return strings.Join(out, "")
}

// RULES §4 open matters, with 第十五条（六）: reports (举报) waiting for the
// county's triage are one open matter, kept by the oldest of them and due
// 20 working days after its receipt. RP1 filed Mon 2026-03-02 (due Mon
// 03-30); RP2 on Thu 03-05 leaves the matter with RP1; triaging RP1 on
// 03-10 moves the matter to RP2 (due Thu 04-02); triaging RP2 with a finding
// on 03-12 closes it, and the rectification is the only matter left.
func Test第十五条_ReportsWaitingForTriageAreAnOpenMatter(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	county := county530181()
	h.later(at("2026-03-02", 10), func() { h.fileReport("RP1", true) })
	h.check("2026-03-02", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RP1 2026-03-30" || st.Status != "active" || st.Pending != nil {
			t.Errorf("after RP1: matter %q, %s pending %+v; want RP1 due 2026-03-30, still active, no pending decision", got, st.Status, st.Pending)
		}
	})
	h.later(at("2026-03-05", 10), func() { h.fileReport("RP2", true) })
	h.check("2026-03-05", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RP1 2026-03-30" {
			t.Errorf("after RP2: matter %q, want still RP1 due 2026-03-30 (the oldest)", got)
		}
	})
	h.update("2026-03-10", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP1",
		Action: workflows.TriageDismiss, Note: "经核查不属实"}, ok(t, "triage RP1"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RP2 2026-04-02" {
			t.Errorf("after RP1's triage: matter %q, want RP2 due 2026-04-02", got)
		}
		if m := h.openMatters(); m != "report_triage:RP2 2026-03-05→2026-04-02" {
			t.Errorf("brand row open_matters %q", m)
		}
	})
	h.update("2026-03-12", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP2",
		Action: workflows.TriageFinding, Reason: "logo_misuse", FindingID: "F-RP2", Note: "属实"}, ok(t, "triage RP2"))
	h.check("2026-03-12", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "" || st.Status != "rectifying" {
			t.Errorf("after RP2's triage: matter %q, %s; want none, rectifying", got, st.Status)
		}
		if m := h.openMatters(); !strings.HasPrefix(m, "rectification: 2026-03-12→") || strings.Contains(m, "report") {
			t.Errorf("brand row open_matters %q", m)
		}
	})
	h.run("2026-03-13")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 system reports.waiting",
		"2026-03-10 10:00 county_officer report.dismissed",
		"2026-03-10 10:00 system reports.waiting",
		"2026-03-12 10:00 county_officer finding.level1",
	})
}

// RULES §4 and API.md (public endpoints are hostile): a burst of reports
// keeps one matter, with one deadline by the oldest — the process's state
// does not grow with what the public files. Its lapse escalates and leaves
// it open; a report whose signal never arrived is read at the next triage.
func TestDecision_OpenMatters_ReportBurstKeepsOneMatter(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.later(at("2026-03-02", 10), func() {
		for i := range 30 {
			h.fileReport(fmt.Sprintf("RPB%02d", i), true)
		}
	})
	h.check("2026-03-02", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RPB00 2026-03-30" || len(st.Deadlines.Items) != 2 {
			t.Errorf("after 30 reports: matter %q, deadlines %v; want RPB00's alone beside the evaluation window", got, keysOf(st))
		}
	})
	h.check("2026-04-01", func(st workflows.BrandState) {
		d := deadlineOf(st, "report_triage:RPB00")
		if d == nil || !d.Expired {
			t.Errorf("after its last day: %+v, want the triage matter open and overdue", d)
		}
	})
	h.later(at("2026-04-02", 9), func() { h.fileReport("RPX", false) }) // stored, its signal lost
	for i := range 30 {
		h.update("2026-04-02", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county530181(),
			ReportID: fmt.Sprintf("RPB%02d", i), Action: workflows.TriageDismiss, Note: "重复举报"}, ok(t, "triage"))
	}
	h.check("2026-04-02", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RPX 2026-05-06" {
			t.Errorf("after the burst's triage: matter %q, want RPX due 2026-05-06 (read after the triages; 清明 and 劳动节 skipped)", got)
		}
	})
	h.run("2026-04-03")
	if got := len(h.alerts("report_triage:RPB00")); got == 0 {
		t.Errorf("no reminder or escalation for the overdue triage")
	}
	var escalated bool
	for _, a := range h.alerts("report_triage:RPB00") {
		escalated = escalated || strings.HasPrefix(a, "escalation")
	}
	if !escalated {
		t.Errorf("alerts %v, want an escalation after the triage's last day", h.alerts("report_triage:RPB00"))
	}
}

// openMatters is the brand row's open_matters as "kind:id opened→due", joined by "; ".
func (h *brandHarness) openMatters() string {
	h.t.Helper()
	var out []string
	rows, err := h.store.Pool().Query(context.Background(), `SELECT m->>'kind', coalesce(m->>'id', ''), m->>'opened_on', m->>'due'
		FROM brands, jsonb_array_elements(open_matters) m WHERE id = $1`, h.in.BrandID)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id, opened, due string
		if err := rows.Scan(&kind, &id, &opened, &due); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s:%s %s→%s", kind, id, opened, due))
	}
	return strings.Join(out, "; ")
}

// RULES §4 "a removal closes every matter", found by the model-based test:
// a change request (附件2) waiting for the county when the brand is removed
// is closed with the rest, and the history names it — before, the request
// stayed in the process's state with no deadline. A report waiting for
// triage is closed too, but the line, which the holder reads, does not
// name it.
func TestDecision_OpenMatters_RemovalClosesChangeRequests(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.later(at("2026-03-02", 9), func() {
		if _, err := h.store.SaveChange(context.Background(), store.NewChange{ID: "C1", BrandID: h.in.BrandID, Changes: map[string]any{"contact_phone": "0871-1"},
			Reason: "联系电话变更", RequestedAt: h.env.Now(), RequestedBy: "holder"}); err != nil {
			t.Fatal(err)
		}
	})
	h.update("2026-03-02", workflows.UpdateChangeRequest, workflows.ChangeRequest{Actor: brandHolder(), ChangeID: "C1"}, ok(t, "change request"))
	h.later(at("2026-03-02", 10), func() { h.fileReport("RP1", true) })
	h.update("2026-03-03", workflows.UpdateRemovalReport, workflows.RemovalReportRequest{Actor: county530181(), Reasons: []string{"fraud"}, Description: "骗取"}, ok(t, "removal report"))
	h.update("2026-03-04", workflows.UpdateRemovalDecision, workflows.RemovalDecisionRequest{Actor: cityOfficer(), Remove: true, Reason: "骗取入库"}, ok(t, "removal"))
	// The report the removal closed is not triaged while the run ends.
	h.refused("2026-03-04", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county530181(), ReportID: "RP1", Action: workflows.TriageDismiss,
		Note: "不予立案"}, workflows.RejectConflict, nil)
	h.run("2026-03-06")
	if st := h.state(); st.Status != "removed" || len(st.Changes) > 0 || len(st.Deadlines.Items) > 0 {
		t.Errorf("after the removal: %s, change requests %+v, deadlines %v; want removed with nothing open", st.Status, st.Changes, keysOf(st))
	}
	last := h.events()[len(h.events())-1]
	if last.Action != "removal.decided" || !strings.Contains(last.Note, "变更登记审核") {
		t.Errorf("last step %+v, want the removal naming the change request it closed", last)
	}
	// RULES §4 reports: the holder reads this line, and a report waiting
	// for triage is never shown to it; the reports say they were closed.
	if strings.Contains(last.Note, "举报") {
		t.Errorf("the removal's line %q names the reports waiting for triage, which the holder reads", last.Note)
	}
}

// RULES §4 open matters, a second reader's case: the triage matter moves
// to a report it held before. RP1, received Mon 2026-03-02 10:00, holds it;
// RP0, received at 09:00 that day but on record only on 03-03 (committed
// late), is older and takes it; RP0 triaged on 03-04, the matter returns to
// RP1. Each move is a step of its own: before, the return had the key of
// RP1's first step, the store took it for a retry and skipped it, and the
// brand's record and the county's queue lost the open triage.
func TestDecision_OpenMatters_TheTriageMatterReturnsToAReportItHeld(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	county := county530181()
	h.later(at("2026-03-02", 10), func() { h.fileReport("RP1", true) })
	h.later(at("2026-03-03", 10), func() { fileReportReceived(h, "RP0", at("2026-03-02", 9), true) })
	h.check("2026-03-03", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RP0 2026-03-30" {
			t.Errorf("after RP0: matter %q, want RP0's (the oldest)", got)
		}
	})
	h.update("2026-03-04", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP0",
		Action: workflows.TriageDismiss, Note: "经核查不属实"}, ok(t, "triage RP0"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RP1 2026-03-30" {
			t.Errorf("after RP0's triage: matter %q, want RP1's again", got)
		}
		if m := h.openMatters(); !strings.Contains(m, "report_triage:RP1") {
			t.Errorf("brand row open_matters %q, want RP1's triage open", m)
		}
		if tasks := h.strings(`SELECT kind FROM tasks WHERE object_id = $1 AND kind LIKE 'report_triage%'`); len(tasks) != 1 {
			t.Errorf("the county's triage tasks %v, want RP1's", tasks)
		}
	})
	h.run("2026-03-05")
}

// RULES §4 (escalation): a deadline armed with its escalations already
// past — the triage matter passing, weeks late, to a report received
// after the first — escalates once, not once for each escalation missed:
// the county, the city and the supervisor are not sent the same 【逾期督办】
// three times in the same minute.
func TestDecision_Escalation_ADeadlineArmedLateEscalatesOnce(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	h.later(at("2026-03-02", 10), func() { h.fileReport("RP0", true) })
	h.later(at("2026-03-03", 10), func() { h.fileReport("RP1", true) })
	h.update("2026-05-06", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county530181(), ReportID: "RP0",
		Action: workflows.TriageDismiss, Note: "经核查不属实"}, ok(t, "triage RP0"))
	h.check("2026-05-07", func(st workflows.BrandState) {
		if got := reportMatter(t, st); got != "RP1 2026-03-31" {
			t.Errorf("after RP0's triage: matter %q, want RP1's, counted from its receipt", got)
		}
		escalations := func(key string) (n int) {
			for _, a := range h.alerts(key) {
				if strings.HasPrefix(a, "escalation county_officer") {
					n++
				}
			}
			return n
		}
		if n := escalations("report_triage:RP0"); n != 3 {
			t.Errorf("RP0's matter escalated %d times as it lapsed, want 3 (one every 5 working days)", n)
		}
		if n := escalations("report_triage:RP1"); n != 1 {
			t.Errorf("RP1's matter, armed with its escalations past, escalated %d times at once, want 1:\n%s", n,
				strings.Join(h.alerts("report_triage:RP1"), "\n"))
		}
	})
	h.run("2026-05-08")
}

// RULES §4 (one ladder at a time), 第十五条（六）: a report founded while
// the brand is already under a level-1 order is triaged as a finding that
// joins the running order — the report closed as founded, no second order,
// the order's month unchanged, the history saying so — where an officer's
// own finding of the same is still refused (nothing to order). The
// model-based test draws the other cases (a level-2 order, the suspension).
func Test第十五条_AReportFoundedDuringAnOrderJoinsIt(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	county := county530181()
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county, FindingID: "F1",
		Reason: "logo_misuse", Description: "擅自改变标识"}, ok(t, "level 1"))
	h.later(at("2026-03-03", 10), func() { h.fileReport("RP1", true) })
	h.refused("2026-03-05", workflows.UpdateFinding, workflows.FindingRequest{Actor: county, FindingID: "F2",
		Reason: "unauthorized_plaque", Description: "擅自制作牌匾"}, workflows.RejectConflict, nil)
	h.update("2026-03-05", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP1",
		Action: workflows.TriageFinding, Reason: "unauthorized_plaque", FindingID: "F-RP1", Note: "牌匾系擅自制作，属实"}, ok(t, "triage RP1"))
	h.check("2026-03-05", func(st workflows.BrandState) {
		r := st.Rectification
		if st.Status != "rectifying" || r == nil || r.Level != 1 || r.FindingID != "F1" || dueOf(st, "rectification") != "2026-04-02" {
			t.Errorf("after the report joined: %s %+v due %s; want F1's month running, due 2026-04-02", st.Status, r, dueOf(st, "rectification"))
		}
		if got := reportMatter(t, st); got != "" {
			t.Errorf("the triage matter %q outlived the triage", got)
		}
	})
	h.run("2026-03-06")
	joined := h.strings(`SELECT id || ' ' || reason || ' ' || coalesce(joined, '') || ' ' || coalesce(report_id, '') FROM findings WHERE brand_id = $1 ORDER BY at, id`)
	equal(t, "findings", joined, []string{"F1 logo_misuse  ", "F-RP1 unauthorized_plaque rectification RP1"})
	if events := h.events(); !strings.Contains(events[len(events)-1].Note, "举报认定的问题并入正在进行的1级整改") {
		t.Errorf("the history's last line says %q, want the report's finding joining the order", events[len(events)-1].Note)
	}
}

// RULES §4 (one ladder at a time), 第十五条（三）（六）: a report founded for
// the reason a suspension proposal already waits on is triaged as a
// finding that joins the proposal — the report closed as founded, the
// proposal and its due day unchanged, the history saying so — where an
// officer's own finding of the same is refused as a second proposal (and
// the report could before only be dismissed, 不予立案, though founded).
func Test第十五条_AReportFoundedForTheReasonAProposalWaitsOnJoinsIt(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	county := county530181()
	h.update("2026-03-02", workflows.UpdateFinding, workflows.FindingRequest{Actor: county, FindingID: "F1",
		Reason: "serious_dishonesty_list", Description: "被列入严重失信主体名单"}, ok(t, "level 3 proposed"))
	h.later(at("2026-03-03", 10), func() { h.fileReport("RP1", true) })
	h.refused("2026-03-04", workflows.UpdateFinding, workflows.FindingRequest{Actor: county, FindingID: "F2",
		Reason: "serious_dishonesty_list", Description: "同上"}, workflows.RejectConflict, nil)
	var due string
	h.check("2026-03-04", func(st workflows.BrandState) { due = dueOf(st, "suspension_decision") })
	h.update("2026-03-05", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP1",
		Action: workflows.TriageFinding, Reason: "serious_dishonesty_list", FindingID: "F-RP1", Note: "经查属实，已列入名单"}, ok(t, "triage RP1"))
	h.check("2026-03-05", func(st workflows.BrandState) {
		if got := dueOf(st, "suspension_decision"); got == "" || got != due {
			t.Errorf("the proposal after the report joined: due %q, want it unchanged (%q)", got, due)
		}
		if got := reportMatter(t, st); got != "" {
			t.Errorf("the triage matter %q outlived the triage", got)
		}
	})
	h.run("2026-03-06")
	joined := h.strings(`SELECT id || ' ' || reason || ' ' || coalesce(joined, '') || ' ' || coalesce(report_id, '') FROM findings WHERE brand_id = $1 ORDER BY at, id`)
	equal(t, "findings", joined, []string{"F1 serious_dishonesty_list  ", "F-RP1 serious_dishonesty_list suspension_proposal RP1"})
	if got := h.strings(`SELECT status FROM reports WHERE id = 'RP1' AND brand_id = $1`); len(got) != 1 || got[0] != "finding" {
		t.Errorf("the report's status %v, want finding (founded)", got)
	}
	if events := h.events(); !strings.Contains(events[len(events)-1].Note, "举报认定的问题并入该提请") {
		t.Errorf("the history's last line says %q, want the report's finding joining the proposal", events[len(events)-1].Note)
	}
}

// RULES §4 (第十五条（四）（六）): a report can lead to a removal report, and
// the city may triage too. RP1 filed Mon 2026-03-02 tells that the holder
// has not operated for two years; the county triages it on Wed 03-04 by
// reporting the brand for removal (附件3, dissolved_or_inactive): the
// removal proposal opens (due 03-18), the report is closed as
// removal_report and the matter with it. RP2, filed 03-05, the city
// dismisses on 03-06; RP3, of the same situation, joins the removal waiting
// on 03-10. The city cannot report for removal (附件3 is the county's), nor
// can a removal report from a report carry no reasons.
func Test第十五条_AReportLeadsToARemovalReportAndTheCityTriagesToo(t *testing.T) {
	h := newBrandHarness(t, "2025-06-10")
	county := county530181()
	h.later(at("2026-03-02", 10), func() { h.fileReport("RP1", true) })
	h.refused("2026-03-04", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: cityOfficer(), ReportID: "RP1",
		Action: workflows.TriageRemovalReport, Reasons: []string{"dissolved_or_inactive"}, Note: "市级报请"}, workflows.RejectForbidden, nil)
	h.refused("2026-03-04", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP1",
		Action: workflows.TriageRemovalReport, Note: "未选情形"}, workflows.RejectInvalid, func(r workflows.Rejection) {
		if len(r.Fields) != 1 || r.Fields[0].Field != "reasons" {
			t.Errorf("fields %+v, want reasons", r.Fields)
		}
	})
	h.update("2026-03-04", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP1",
		Action: workflows.TriageRemovalReport, Reasons: []string{"dissolved_or_inactive"}, Note: "经核实，两年以上未开展经营活动"}, ok(t, "triage RP1 by a removal report"))
	h.check("2026-03-04", func(st workflows.BrandState) {
		if d := deadlineOf(st, "removal_decision"); d == nil || d.Reason != "dissolved_or_inactive" || d.Value().Due.String() != "2026-03-18" {
			t.Errorf("the removal proposal: %+v, want dissolved_or_inactive due 2026-03-18", d)
		}
		if got := reportMatter(t, st); got != "" {
			t.Errorf("the triage matter %q is still open after the report was triaged", got)
		}
	})
	h.later(at("2026-03-05", 10), func() { h.fileReport("RP2", true) })
	h.update("2026-03-06", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: cityOfficer(), ReportID: "RP2",
		Action: workflows.TriageDismiss, Note: "经市级核查不属实"}, ok(t, "the city triages RP2"))
	// A third report of the same situation is founded too: it joins the
	// removal waiting (no second proposal, its day unchanged) and closes.
	h.later(at("2026-03-09", 10), func() { h.fileReport("RP3", true) })
	h.update("2026-03-10", workflows.UpdateReportTriage, workflows.ReportTriageRequest{Actor: county, ReportID: "RP3",
		Action: workflows.TriageRemovalReport, Reasons: []string{"dissolved_or_inactive"}, Note: "同一情形"}, ok(t, "triage RP3 joining the removal"))
	h.check("2026-03-10", func(st workflows.BrandState) {
		if d := deadlineOf(st, "removal_decision"); d == nil || d.Reason != "dissolved_or_inactive" || d.Value().Due.String() != "2026-03-18" {
			t.Errorf("the removal proposal after RP3: %+v, want it as it was", d)
		}
	})
	h.run("2026-03-11")
	equal(t, "history", h.actions(), []string{
		"2025-06-10 09:00 system admitted",
		"2026-03-02 10:00 system reports.waiting",
		"2026-03-04 10:00 county_officer removal.reported",
		"2026-03-05 10:00 system reports.waiting",
		"2026-03-06 10:00 city_officer report.dismissed",
		"2026-03-09 10:00 system reports.waiting",
		"2026-03-10 10:00 county_officer removal.reported",
	})
	status := map[string]string{}
	rows, err := h.store.Pool().Query(context.Background(), `SELECT id, status, coalesce(triaged_by, '') FROM reports WHERE brand_id = $1`, h.in.BrandID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, st, by string
		if err := rows.Scan(&id, &st, &by); err != nil {
			t.Fatal(err)
		}
		status[id] = st + " by " + by
	}
	if status["RP1"] != "removal_report by officer-anning" || status["RP2"] != "dismissed by city" || status["RP3"] != "removal_report by officer-anning" {
		t.Errorf("reports %v, want RP1 removal_report by the county and RP2 dismissed by the city", status)
	}
	if e, _ := findEvent(h.events(), "removal.reported"); !strings.Contains(e.Note, "dissolved_or_inactive：（来自举报）经核实") {
		t.Errorf("the removal report's note %q, want its reasons, that it came from a report, and the triage's note", e.Note)
	}
}
