package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// deliveryActivity sends one message by one channel, chosen on purpose: a
// receiver that blinks is retried within seconds, one that is down over a
// weekend still gets the message (backing off to every ten minutes), and
// after three days the delivery gives up — the inbox and the overdue queue
// still show it, and the deliveries log says why.
var deliveryActivity = workflow.ActivityOptions{
	StartToCloseTimeout:    time.Minute, // a webhook answers within 10 s, an SMTP exchange within 30 s
	ScheduleToCloseTimeout: records.DeliveryRetriedFor,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2,
		MaximumInterval: 10 * time.Minute}, // no attempt limit inside the three days
}

// DeliveryWorkflow delivers outbox message messageID by every channel
// configured for it. Channels run side by side, so a failing receiver
// delays no other; it ends when each has confirmed or given up. Its input is
// the message's id only (RULES §6). Notify starts it as
// workflow ID DeliveryWorkflowID.
func DeliveryWorkflow(ctx workflow.Context, messageID int64) error {
	var channels []string
	lookup := computing.remote
	lookup.Summary = activityNames[ActivityDeliveryChannels]
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, lookup), ActivityDeliveryChannels, messageID).
		Get(ctx, &channels)
	if err != nil {
		return fmt.Errorf("channels of message %d: %w", messageID, err)
	}
	sending := make([]workflow.Future, len(channels))
	for i, ch := range channels {
		opts := deliveryActivity
		opts.Summary = fmt.Sprintf("送达：消息 %d，经 %s", messageID, ch)
		sending[i] = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), ActivityDeliver,
			records.DeliveryRequest{MessageID: messageID, Channel: ch})
	}
	var errs []error
	for i, f := range sending {
		if err := f.Get(ctx, nil); err != nil {
			errs = append(errs, fmt.Errorf("deliver message %d by %s: %w", messageID, channels[i], err))
		}
	}
	return errors.Join(errs...)
}
