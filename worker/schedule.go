package worker

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// Maintenance is the maintenance schedule: how often it runs and with which
// retentions.
type Maintenance struct {
	ScheduleID string // workflows.MaintenanceScheduleID; tests use their own
	TaskQueue  string
	Every      time.Duration
	Input      workflows.MaintenanceInput
}

// DefaultMaintenance is the schedule when no LB_MAINTENANCE_* or *_RETENTION
// setting says otherwise: hourly, so each run deletes an hour's worth of
// rows; idempotency keys kept a week (API.md promises a day), delivered
// messages a year (the inbox shows the last year's; a cycle's evaluation
// outcome is in the brand's record, not only in its message), closed
// console sessions a month (enough to answer "who was signed in when").
var DefaultMaintenance = Maintenance{
	ScheduleID: workflows.MaintenanceScheduleID,
	TaskQueue:  workflows.TaskQueue,
	Every:      time.Hour,
	Input: workflows.MaintenanceInput{
		IdempotencyRetention: 7 * 24 * time.Hour,
		OutboxRetention:      365 * 24 * time.Hour,
		SessionRetention:     30 * 24 * time.Hour,
	},
}

// EnsureMaintenanceSchedule makes sure the Temporal schedule that runs
// MaintenanceWorkflow exists with m's interval, task queue and retentions:
// it creates it, or updates the one there when a setting changed, and
// otherwise leaves it alone (a paused schedule stays paused). Every worker
// calls it at start-up; concurrent calls converge on the same schedule.
func EnsureMaintenanceSchedule(ctx context.Context, c client.Client, m Maintenance) error {
	sc := c.ScheduleClient()
	m.Input.Every = m.Every // the runs know which of them checks the audit chain
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: m.Every}}}
	action := &client.ScheduleWorkflowAction{
		ID:       m.ScheduleID, // the schedule appends the scheduled time
		Workflow: workflows.MaintenanceWorkflowType, Args: []any{m.Input}, TaskQueue: m.TaskQueue,
		// A run that cannot finish within two intervals is stuck; the next
		// starts over. Never within the night's audit check's hour (a
		// short interval would cut a long chain's check off).
		WorkflowRunTimeout: runTimeout(m.Every),
		StaticSummary:      "维护：清理过期的幂等键、已送达消息和已结束的会话；每晚核验审计日志",
	}
	// One run at a time; a run missed while Temporal was down is caught up
	// once, not once per missed interval.
	policy := client.SchedulePolicies{Overlap: enums.SCHEDULE_OVERLAP_POLICY_SKIP, CatchupWindow: m.Every}
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: m.ScheduleID, Spec: spec, Action: action,
		Overlap: policy.Overlap, CatchupWindow: policy.CatchupWindow,
		Note: "laborbrand worker: LB_MAINTENANCE_EVERY and the *_RETENTION settings",
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("create schedule %s: %w", m.ScheduleID, err)
		}
		return nil
	}
	h := sc.GetHandle(ctx, m.ScheduleID)
	d, err := h.Describe(ctx)
	if err != nil {
		return fmt.Errorf("describe schedule %s: %w", m.ScheduleID, err)
	}
	if scheduleIsCurrent(d.Schedule, m, policy) {
		return nil
	}
	err = h.Update(ctx, client.ScheduleUpdateOptions{DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
		s := in.Description.Schedule
		// The policies too: a release that changes them, or a new interval
		// (the catch-up window is one), reaches a running deployment. An
		// operator's pause-on-failure is kept.
		p := policy
		if s.Policy != nil {
			p.PauseOnFailure = s.Policy.PauseOnFailure
		}
		s.Spec, s.Action, s.Policy = &spec, action, &p
		return &client.ScheduleUpdate{Schedule: &s}, nil
	}})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", m.ScheduleID, err)
	}
	return nil
}

// runTimeout is how long one maintenance run may take, at intervals of
// every.
func runTimeout(every time.Duration) time.Duration { return max(2*every, 2*time.Hour) }

// scheduleIsCurrent reports whether s already runs m: same interval, same
// workflow on the same task queue, same retentions and run timeout, same
// overlap policy and catch-up window.
func scheduleIsCurrent(s client.Schedule, m Maintenance, policy client.SchedulePolicies) bool {
	a, ok := s.Action.(*client.ScheduleWorkflowAction)
	if !ok || s.Policy == nil || s.Policy.Overlap != policy.Overlap || s.Policy.CatchupWindow != policy.CatchupWindow || s.Spec == nil || len(s.Spec.Intervals) != 1 || s.Spec.Intervals[0].Every != m.Every ||
		a.Workflow != workflows.MaintenanceWorkflowType || a.TaskQueue != m.TaskQueue || len(a.Args) != 1 ||
		a.WorkflowRunTimeout != runTimeout(m.Every) {
		return false
	}
	p, ok := a.Args[0].(*commonpb.Payload)
	var in workflows.MaintenanceInput
	if !ok || converter.GetDefaultDataConverter().FromPayload(p, &in) != nil {
		return false
	}
	return reflect.DeepEqual(in, m.Input)
}
