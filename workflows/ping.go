package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
)

// PingWorkflowID is the workflow ID of ping id.
func PingWorkflowID(id string) string { return "ping-" + id }

// PingInput starts a PingWorkflow.
type PingInput struct {
	ID      string      `json:"id"`
	Message string      `json:"message"`
	Actor   string      `json:"actor"`
	Role    string      `json:"role"`
	Clock   clock.Clock `json:"clock"`
}

// PingWorkflow is the foundation's hello path: it records one row through an
// activity and returns it, proving API → workflow → activity → PostgreSQL.
func PingWorkflow(ctx workflow.Context, in PingInput) (activities.PingResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 30 * time.Second},
	})
	var a *activities.Activities
	var out activities.PingResult
	err := workflow.ExecuteActivity(ctx, a.SavePing, activities.PingRequest{
		ID: in.ID, Message: in.Message, Actor: in.Actor, Role: in.Role,
		At: in.Clock.At(workflow.Now(ctx)),
	}).Get(ctx, &out)
	return out, err
}
