package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"golang.org/x/sync/errgroup"
)

// A deadline is acted on when the workflow task that follows its timer's
// firing completes: that task records the lapse, the reminder or the
// escalation. Its lag is how long after the timer's due instant that was.
// The waits a process takes for its caller's writes ("等待办理人写入") are
// not deadlines and are left out.
const callerWriteWait = "等待办理人写入"

// timerLags reads one process's history (its current run) and returns the
// lag of every deadline timer that fired, and two parts of it: until its
// TimerFired event (the server's timer queue), and from then until the next
// workflow task started (its dispatch to a worker); the rest is the task's
// run on the worker and its completion.
func timerLags(ctx context.Context, tc client.Client, workflowID string) (lags, queued, dispatched []time.Duration, err error) {
	type timer struct {
		due      time.Time
		deadline bool
	}
	started := map[string]timer{}
	var fired []time.Time        // due instants of deadline timers fired since the last completed task
	var undispatched []time.Time // instants they fired at, until a workflow task starts
	it := tc.GetWorkflowHistory(ctx, workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		at := e.GetEventTime().AsTime()
		switch e.GetEventType() {
		case enums.EVENT_TYPE_TIMER_STARTED:
			a := e.GetTimerStartedEventAttributes()
			var summary string
			if p := e.GetUserMetadata().GetSummary(); p != nil {
				_ = converter.GetDefaultDataConverter().FromPayload(p, &summary)
			}
			started[a.GetTimerId()] = timer{due: at.Add(a.GetStartToFireTimeout().AsDuration()),
				deadline: !strings.HasPrefix(summary, callerWriteWait)}
		case enums.EVENT_TYPE_TIMER_FIRED:
			if t := started[e.GetTimerFiredEventAttributes().GetTimerId()]; t.deadline {
				fired = append(fired, t.due)
				queued = append(queued, at.Sub(t.due))
				undispatched = append(undispatched, at)
			}
		case enums.EVENT_TYPE_WORKFLOW_TASK_STARTED:
			for _, f := range undispatched {
				dispatched = append(dispatched, at.Sub(f))
			}
			undispatched = undispatched[:0]
		case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			for _, due := range fired {
				lags = append(lags, at.Sub(due))
			}
			fired = fired[:0]
		}
	}
	return lags, queued, dispatched, nil
}

// lateness is the deadline timers' lags over many processes, read conc at a
// time, and how many were acted on more than one business day late (a day
// is dayWall of wall time at the stack's time scale).
type lateness struct {
	lags       []time.Duration
	queued     []time.Duration // the timer queue's part of each lag (until TimerFired)
	dispatched []time.Duration // from TimerFired to the next workflow task's start
	dayWall    time.Duration
}

func measureLateness(ctx context.Context, tc client.Client, workflowIDs []string, conc int, scale int64) (lateness, error) {
	if scale < 1 {
		scale = 1
	}
	out := lateness{dayWall: 24 * time.Hour / time.Duration(scale)}
	var mu sync.Mutex
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(conc)
	for _, id := range workflowIDs {
		g.Go(func() error {
			lags, queued, dispatched, err := timerLags(ctx, tc, id)
			mu.Lock()
			out.lags = append(out.lags, lags...)
			out.queued = append(out.queued, queued...)
			out.dispatched = append(out.dispatched, dispatched...)
			mu.Unlock()
			return err
		})
	}
	err := g.Wait()
	slices.Sort(out.lags)
	slices.Sort(out.queued)
	slices.Sort(out.dispatched)
	return out, err
}

// late counts the deadlines acted on after the business day following
// their due instant had begun.
func (l lateness) late() int {
	n := 0
	for _, d := range l.lags {
		if d > l.dayWall {
			n++
		}
	}
	return n
}

func (l lateness) String() string {
	if len(l.lags) == 0 {
		return "no deadline timer fired"
	}
	q := func(p float64) time.Duration { return pct(l.lags, p) }
	biz := func(d time.Duration) string {
		return fmt.Sprintf("%.1f business h", d.Hours()*float64(24*time.Hour)/float64(l.dayWall))
	}
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("%d deadline timers fired; acted on after p50 %s (%s), p99 %s (%s), max %s (%s); "+
		"%d acted on more than a business day (%s wall) late; of the lag, the timer queue's (until fired) p50 %s, p99 %s, max %s; "+
		"the next task's dispatch (fired → started) p50 %s, p99 %s, max %s",
		len(l.lags), r(q(0.5)), biz(q(0.5)), r(q(0.99)), biz(q(0.99)), r(q(1)), biz(q(1)), l.late(), l.dayWall,
		r(pct(l.queued, 0.5)), r(pct(l.queued, 0.99)), r(pct(l.queued, 1)),
		r(pct(l.dispatched, 0.5)), r(pct(l.dispatched, 0.99)), r(pct(l.dispatched, 1)))
}
