// Package update sends a workflow Update to the run its caller knows.
package update

import (
	"context"
	"errors"
	"strings"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// ToRun sends the Update of opts to opts.RunID, the run that wrote the
// process's last step, when known: addressed by workflow ID alone,
// Temporal first reads which run is current from its store, a read on every
// Update. A run that has continued as new since answers that it has
// completed (not found), and the Update is sent again by workflow ID.
func ToRun(ctx context.Context, c client.Client, opts client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	h, err := c.UpdateWorkflow(ctx, opts)
	var nf *serviceerror.NotFound
	if opts.RunID != "" && errors.As(err, &nf) && ctx.Err() == nil {
		opts.RunID = ""
		return c.UpdateWorkflow(ctx, opts)
	}
	return h, err
}

// Closed reports whether err says the process cannot take the Update: its
// workflow is not found, or has already completed.
func Closed(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf) || Completed(err)
}

// Completed reports whether err says the workflow's run has completed (a
// NotFound of its own kind: not a workflow never started).
func Completed(err error) bool {
	return err != nil && strings.Contains(err.Error(), "workflow execution already completed")
}

// Answered reports whether err is the process's answer to an Update rather
// than a failure to hear it: a refusal (its validator's or its handler's
// ApplicationError), or no process there to take it (Closed). An answered
// decision leaves nothing to write.
func Answered(err error) bool {
	var refused *temporal.ApplicationError
	return errors.As(err, &refused) || Closed(err)
}
