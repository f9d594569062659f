package activities

import (
	"context"
	"fmt"

	"github.com/kunming-hrss/laborbrand/internal/domain/deadline"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// Notify writes the message for each audience to the outbox, once, and
// starts the delivery of each by the channels configured for it (Deliver).
// A retry finds both done: the outbox row by its dedupe key, the delivery
// process by its workflow ID.
func (a *Activities) Notify(ctx context.Context, r records.NotifyRequest) error {
	msgs := make([]store.Message, 0, len(r.Audiences))
	for _, aud := range r.Audiences {
		title, body := messageText(r, aud)
		msgs = append(msgs, store.Message{
			DedupeKey: r.DedupeKey + "/" + aud, Kind: r.Kind, Audience: aud, County: r.County, USCC: r.USCC,
			ObjectType: r.ObjectType, ObjectID: r.ObjectID, Title: title, Body: body, Due: r.Due, CreatedAt: r.At,
		})
	}
	ids, err := a.Store.EnqueueReturning(ctx, msgs...)
	if err != nil {
		return err
	}
	return a.startDeliveries(ctx, msgs, ids)
}

// messageText composes the Chinese title and body for audience aud: the
// brand, the action and the due date; an escalation asks the task's doer
// to act and everyone else to urge it. Where to act is each channel's: the inbox links the
// console's page, a mail ends with its address (store.MessagePath), a
// webhook carries the object's type and id — never the API's address, which
// a person's browser cannot open.
func messageText(r records.NotifyRequest, aud string) (string, string) {
	switch r.Kind {
	case deadline.AlertReminder:
		return fmt.Sprintf("【提醒】%s：%s将于%s到期", r.BrandName, r.Action, r.Due),
			fmt.Sprintf("“%s”的%s办理期限为%s（当日24时止），请及时办理。%s", r.BrandName, r.Action, r.Due, r.Note)
	case deadline.AlertEscalation:
		ask := "请督促办理"
		if aud == r.Doer {
			ask = "请尽快办理"
		}
		return fmt.Sprintf("【逾期督办】%s：%s已超过期限%s", r.BrandName, r.Action, r.Due),
			fmt.Sprintf("“%s”的%s已于%s到期仍未办理，%s。%s", r.BrandName, r.Action, r.Due, ask, r.Note)
	default:
		return fmt.Sprintf("【通知】%s：%s", r.BrandName, r.Action),
			fmt.Sprintf("“%s”：%s。%s", r.BrandName, r.Action, r.Note)
	}
}
