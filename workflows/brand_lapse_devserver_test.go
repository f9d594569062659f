package workflows_test

import (
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// 第十五条（一）（二）, RULES §4 ("level 1 not confirmed rectified by its due
// date → level 2 opens"), on a real Temporal server: a confirmation sent
// once the month is over, while the worker is away, reaches the process in
// the workflow task that also carries the month's timer — where the SDK runs
// Update handlers before the workflow's own code. It is refused as the
// lapse's to take first (lapse_pending), not applied to the order the lapse
// climbs; the lapse then opens the interview as on any other night.
func Test第十五条_AConfirmationAfterTheMonthNeverBeatsItsLapse(t *testing.T) {
	s := newBrandServer(t)
	s.prefix = "BL"
	// Business time starts at 20:00 on the order's last day, an hour a
	// wall-clock second: the month ends four seconds in.
	b := s.startWith(t, "2024-03-01", at("2026-02-27", 20), 3600, func(in *workflows.BrandInput) {
		in.Imported = true
		in.Standing = &workflows.ImportedStanding{NextEvaluation: date("2028-03-01"),
			Rectification: &workflows.ImportedRectification{Level: 1, Reason: "logo_misuse", OrderedOn: date("2026-01-27"), Due: date("2026-02-27")}}
	})
	b.await("the imported order", func(st workflows.BrandState) bool { return st.Rectification != nil && st.Rectification.WindowOpen })
	s.pauseWorker()
	for b.in.Clock.Now().Before(at("2026-02-28", 1)) {
		time.Sleep(100 * time.Millisecond)
	}
	answered := make(chan error, 1)
	go func() {
		answered <- b.update("late-confirm", workflows.UpdateRectificationConfirm, workflows.ConfirmRequest{Actor: b.county, Note: "已整改"})
	}()
	time.Sleep(time.Second) // the Update waits at the server, with the timer's task
	s.resumeWorker()
	if err := <-answered; err == nil {
		t.Error("a confirmation sent after the month ended was applied, want refused")
	} else if r, ok := rejection(err, workflows.RejectConflict); !ok || r.Code != "lapse_pending" {
		t.Errorf("a confirmation sent after the month ended: %v, want refused as lapse_pending", err)
	}
	st := b.await("the lapse", func(st workflows.BrandState) bool { return st.Rectification != nil && !st.Rectification.WindowOpen })
	if st.Rectification.Level != 2 || st.Pending == nil || st.Pending.Kind != workflows.PendingInterview {
		t.Errorf("after the month: %+v pending %+v, want level 2 and the interview", st.Rectification, st.Pending)
	}
}
