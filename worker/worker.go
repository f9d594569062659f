// Package worker registers laborbrand's workflows and activities on the task
// queue and runs them.
package worker

import (
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// StopTimeout is how long a stopping production worker lets its running
// activities finish before it cancels them: a deployment's SIGTERM then
// leaves a delivery or a record's write done rather than cut and retried a
// timeout later. It stays under the 60 s the chart and the compose file give
// a worker to stop (docs/DEPLOYMENT.md).
const StopTimeout = 45 * time.Second

// Options are what differs between the workers that run the processes:
// production's and those of the tests.
type Options struct {
	TaskQueue string // normally workflows.TaskQueue
	// OnFatal, when set, is told of an error after which the worker polls
	// no more (its namespace gone, its SDK no longer supported by the
	// server): a process that keeps running then does nothing while it
	// looks alive.
	OnFatal func(error)
	// StopTimeout bounds Stop's wait for running activities; zero cancels
	// them at once (tests that stop a worker on purpose).
	StopTimeout time.Duration
}

// New returns a worker with every workflow and activity registered. Start it
// with Start or Run.
func New(c client.Client, acts *activities.Activities, o Options) sdkworker.Worker {
	w := sdkworker.New(c, o.TaskQueue, sdkworker.Options{
		OnFatalError:      o.OnFatal,
		WorkerStopTimeout: o.StopTimeout,
		// Two pollers (the default) leave a decision's workflow task
		// waiting tens of milliseconds for a free one once submissions,
		// decisions and their writes share the worker; with eight, a task
		// that found no poller waiting was written to the task queue's
		// table and read back — half of a calendar revision's 10,000
		// re-arms (docs/PERFORMANCE.md). A waiting poller is one long
		// poll, which costs the server nothing until a task comes.
		MaxConcurrentWorkflowTaskPollers: 32,
		MaxConcurrentActivityTaskPollers: 4,
	})
	Register(w, acts)
	return w
}

// Register registers every workflow and activity on r under the names in
// workflows/names.go; the time-skipping test environment uses it too, so
// tests run exactly what production runs.
func Register(r sdkworker.Registry, acts *activities.Activities) {
	for name, fn := range map[string]any{
		workflows.ApplicationWorkflowType:    workflows.ApplicationWorkflow,
		workflows.BrandWorkflowType:          workflows.BrandWorkflow,
		workflows.CalendarFanoutWorkflowType: workflows.CalendarFanoutWorkflow,
		workflows.BureauFanoutWorkflowType:   workflows.BureauFanoutWorkflow,
		workflows.DeliveryWorkflowType:       workflows.DeliveryWorkflow,
		workflows.MaintenanceWorkflowType:    workflows.MaintenanceWorkflow,
	} {
		r.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: name})
	}
	for name, fn := range Activities(acts) {
		r.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
	}
}

// Activities binds each activity name the processes call to its method.
func Activities(a *activities.Activities) map[string]any {
	return map[string]any{
		workflows.ActivityRecordStep:           a.RecordStep,
		workflows.ActivityRecordBrandStep:      a.RecordBrandStep,
		workflows.ActivityApplyResubmission:    a.ApplyResubmission,
		workflows.ActivityDrawExperts:          a.DrawExperts,
		workflows.ActivitySaveOpinion:          a.SaveOpinion,
		workflows.ActivitySaveSiteVisit:        a.SaveSiteVisit,
		workflows.ActivityAcceptObjection:      a.AcceptObjection,
		workflows.ActivityRuleObjection:        a.RuleObjection,
		workflows.ActivityAcceptObjectionDay:   a.AcceptObjectionDay,
		workflows.ActivityAdmit:                a.Admit,
		workflows.ActivityComputeDeadline:      a.ComputeDeadline,
		workflows.ActivityNotify:               a.Notify,
		workflows.ActivityOldestOpenReport:     a.OldestOpenReport,
		workflows.ActivityStepsRecorded:        a.StepsRecorded,
		workflows.ActivityDraftDays:            a.DraftDays,
		workflows.ActivityStoredRevision:       a.StoredRevision,
		workflows.ActivityStoredReport:         a.StoredReport,
		workflows.ActivityUnruledObjectionsOn:  a.UnruledObjectionsOn,
		workflows.ActivitySignalOpenProcesses:  a.SignalOpenProcesses,
		workflows.ActivityTellBureau:           a.TellBureau,
		workflows.ActivityDeliveryChannels:     a.DeliveryChannels,
		workflows.ActivityDeliver:              a.Deliver,
		workflows.ActivityImportBrand:          a.ImportBrand,
		workflows.ActivityBringOver:            a.BringOver,
		workflows.ActivityPurgeIdempotencyKeys: a.PurgeIdempotencyKeys,
		workflows.ActivityPruneOutbox:          a.PruneOutbox,
		workflows.ActivityPruneConsoleSessions: a.PruneConsoleSessions,
		workflows.ActivityVerifyAuditChain:     a.VerifyAuditChain,
	}
}
