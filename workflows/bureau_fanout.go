package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/records"
)

// BureauFanoutWorkflow tells a functional zone's open processes the bureau
// the zone is pointed at (RULES §1), as of the zone's revision. It returns
// how many took it.
func BureauFanoutWorkflow(ctx workflow.Context, r records.BureauFanout) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute, // a zone's few hundred processes at an Update each
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute},
		Summary:             fmt.Sprintf("通知功能区 %s 的在办流程：由%s人社部门办理（第 %d 次保存）", r.Zone, form.CountyName(r.Bureau), r.Revision),
	})
	var n int
	err := workflow.ExecuteActivity(ctx, ActivityTellBureau, r).Get(ctx, &n)
	return n, err
}
