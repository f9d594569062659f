package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"
)

// The SDK's AwaitWithTimeout and AwaitWithOptions leave their timer running
// when the condition comes first (they cancel it only behind an SDK flag
// that is off, for the sake of older histories). A process wakes at every
// decision, so each wake-up left one more timer that later fired for
// nothing: a workflow task each, a dozen at one deadline's instant for an
// application that had a dozen decisions. Since changeWaitTimersCancelled a
// wait cancels its timer when it ends first, and the timer of the next alert
// is kept across wake-ups while that alert stays the same — a decision that
// does not move the deadline starts and cancels no timer at all.

// cancelsWaitTimers reports whether the process runs version 1 of
// changeWaitTimersCancelled; histories recorded before it replay the SDK's
// waits.
func cancelsWaitTimers(ctx workflow.Context) bool {
	return getVersion(ctx, changeWaitTimersCancelled) == 1
}

// alertTimer is the durable timer of a process's next alert.
type alertTimer struct {
	alert  string // which alert it is for: deadline, alert and instant
	fired  workflow.Future
	cancel workflow.CancelFunc
}

// awaitChangeOrAlert is awaitChange on version 1: it waits until woken, or —
// when armed — until the next alert's timer fires. The timer is started for
// an alert once and cancelled when another alert becomes the next.
func (p *process) awaitChangeOrAlert(ctx workflow.Context, ds *deadlines, armed bool, woken func() bool) error {
	dl, alert, ok := ds.next()
	if !ok {
		p.stopAlertTimer()
		return workflow.Await(ctx, woken)
	}
	if !armed {
		// Not armed while a decision is being written: the timer stays for
		// the next wait, which finds it fired if its time came meanwhile.
		return workflow.Await(ctx, woken)
	}
	d := p.clock.WallDuration(alert.At.Sub(p.now(ctx)))
	if d <= 0 {
		return nil
	}
	fired := p.alertTimerFor(ctx, fmt.Sprintf("%s/%s/%d/%s", dl.Key, alert.Kind, alert.Seq, alert.At.UTC().Format(time.RFC3339Nano)),
		d, alertSummary(dl, alert))
	return workflow.Await(ctx, func() bool { return woken() || fired.IsReady() })
}

// alertTimerFor returns the timer for alert, starting it — and cancelling
// the timer of the alert that was next before — unless it runs already. A
// timer that fired while its alert is not yet due (business time rounded
// to the wall clock's) is followed by another for the rest.
func (p *process) alertTimerFor(ctx workflow.Context, alert string, d time.Duration, summary string) workflow.Future {
	if p.alert != nil && p.alert.alert == alert && !p.alert.fired.IsReady() {
		return p.alert.fired
	}
	p.stopAlertTimer()
	timerCtx, cancel := workflow.WithCancel(ctx)
	p.alert = &alertTimer{alert: alert, cancel: cancel,
		fired: workflow.NewTimerWithOptions(timerCtx, d, workflow.TimerOptions{Summary: summary})}
	return p.alert.fired
}

// stopAlertTimer cancels the alert's timer. Once it has fired, the cancel
// only releases its context: the SDK issues no command for a fired timer.
func (p *process) stopAlertTimer() {
	if p.alert != nil {
		p.alert.cancel()
	}
	p.alert = nil
}

// awaitWithTimeout waits until cond holds or d has passed; on version 1 of
// changeWaitTimersCancelled its timer is cancelled when cond comes first.
func awaitWithTimeout(ctx workflow.Context, d time.Duration, summary string, cond func() bool) error {
	if !cancelsWaitTimers(ctx) {
		_, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{Timeout: d,
			TimerOptions: workflow.TimerOptions{Summary: summary}}, cond)
		return err
	}
	if cond() {
		return nil
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	defer cancel() // once the timer has fired, this only releases its context
	timer := workflow.NewTimerWithOptions(timerCtx, d, workflow.TimerOptions{Summary: summary})
	return workflow.Await(ctx, func() bool { return cond() || timer.IsReady() })
}
