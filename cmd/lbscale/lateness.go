package main

import (
	"context"
	"fmt"
	"sort"
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
// lag of every deadline timer that fired.
func timerLags(ctx context.Context, tc client.Client, workflowID string) ([]time.Duration, error) {
	type timer struct {
		due      time.Time
		deadline bool
	}
	started := map[string]timer{}
	var fired []time.Time // due instants of deadline timers fired since the last completed task
	var lags []time.Duration
	it := tc.GetWorkflowHistory(ctx, workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", workflowID, err)
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
			}
		case enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			for _, due := range fired {
				lags = append(lags, at.Sub(due))
			}
			fired = fired[:0]
		}
	}
	return lags, nil
}

// lateness is the deadline timers' lags over many processes, read conc at a
// time, and how many were acted on more than one business day late (a day
// is dayWall of wall time at the stack's time scale).
type lateness struct {
	lags    []time.Duration
	dayWall time.Duration
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
			lags, err := timerLags(ctx, tc, id)
			mu.Lock()
			out.lags = append(out.lags, lags...)
			mu.Unlock()
			return err
		})
	}
	err := g.Wait()
	sort.Slice(out.lags, func(i, j int) bool { return out.lags[i] < out.lags[j] })
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
	q := func(p float64) time.Duration { return l.lags[int(p*float64(len(l.lags)-1))] }
	biz := func(d time.Duration) string {
		return fmt.Sprintf("%.1f business h", d.Hours()*float64(24*time.Hour)/float64(l.dayWall))
	}
	return fmt.Sprintf("%d deadline timers fired; acted on after p50 %s (%s), p99 %s (%s), max %s (%s); "+
		"%d acted on more than a business day (%s wall) late",
		len(l.lags), q(0.5).Round(time.Millisecond), biz(q(0.5)), q(0.99).Round(time.Millisecond), biz(q(0.99)),
		l.lags[len(l.lags)-1].Round(time.Millisecond), biz(l.lags[len(l.lags)-1]), l.late(), l.dayWall)
}
