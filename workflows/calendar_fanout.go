package workflows

import (
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
)

// CalendarFanoutWorkflowID is the fan-out of calendar version v: one per
// version, so loading a year twice never fans out twice for one version.
func CalendarFanoutWorkflowID(version int) string {
	return "calendar-changed-v" + strconv.Itoa(version)
}

// CalendarFanoutWorkflow tells every open process that calendar version
// Version is in force (RULES §5: when an official schedule is loaded, open
// processes recompute their provisional deadlines). Each process re-arms the
// deadlines it computed with an older or provisional calendar.
func CalendarFanoutWorkflow(ctx workflow.Context, version int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute, // 10,000 brands at a few ms a signal
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
	})
	var a *activities.Activities
	var n int
	err := workflow.ExecuteActivity(ctx, a.SignalOpenProcesses, activities.CalendarSignal{
		Version: version, SignalName: SignalCalendarChanged,
		WorkflowTypes: []string{"ApplicationWorkflow", "BrandWorkflow"},
	}).Get(ctx, &n)
	return n, err
}
