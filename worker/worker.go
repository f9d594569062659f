// Package worker registers laborbrand's workflows and activities on the task
// queue and runs them.
package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// New returns a worker for taskQueue (normally workflows.TaskQueue) with
// every workflow and activity registered. Start it with Start or Run.
func New(c client.Client, acts *activities.Activities, taskQueue string) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{})
	Register(w, acts)
	return w
}

// Register registers every workflow and activity on r; the time-skipping
// test environment uses it too, so tests run exactly what production runs.
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflow(workflows.PingWorkflow)
	r.RegisterWorkflow(workflows.ApplicationWorkflow)
	r.RegisterWorkflow(workflows.BrandWorkflow)
	r.RegisterWorkflow(workflows.CalendarFanoutWorkflow)
	r.RegisterWorkflowWithOptions(workflows.DeliveryWorkflow, workflow.RegisterOptions{Name: activities.DeliveryWorkflowType})
	r.RegisterActivity(acts)
}
