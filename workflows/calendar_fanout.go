package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// CalendarFanoutWorkflow tells every open process that calendar version
// Version is in force (RULES §5: when an official schedule is loaded, open
// processes recompute their provisional deadlines). Each process re-arms the
// deadlines it computed with an older or provisional calendar.
func CalendarFanoutWorkflow(ctx workflow.Context, version int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute, // 10,000 brands at a few ms a signal
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
		Summary:             fmt.Sprintf("通知所有在办流程：节假日安排第 %d 版生效", version),
	})
	var n int
	err := workflow.ExecuteActivity(ctx, ActivitySignalOpenProcesses, records.CalendarSignal{
		Version: version, SignalName: SignalCalendarChanged,
		WorkflowTypes: []string{ApplicationWorkflowType, BrandWorkflowType},
	}).Get(ctx, &n)
	return n, err
}
