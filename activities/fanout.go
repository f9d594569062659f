package activities

import (
	"context"
	"fmt"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"

	"github.com/kunming-hrss/laborbrand/internal/records"
)

// SignalOpenProcesses finds the running processes by visibility query and
// signals each with the new calendar version. It heartbeats its page token,
// so a retry resumes where it stopped; a repeated signal is harmless (a
// process ignores a version it already knows). It returns how many it told.
func (a *Activities) SignalOpenProcesses(ctx context.Context, r records.CalendarSignal) (int, error) {
	var token []byte
	sent := 0
	if activity.HasHeartbeatDetails(ctx) {
		var p fanoutProgress
		if activity.GetHeartbeatDetails(ctx, &p) == nil {
			token, sent = p.Token, p.Sent
		}
	}
	query := "ExecutionStatus = 'Running' AND ("
	for i, t := range r.WorkflowTypes {
		if i > 0 {
			query += " OR "
		}
		query += fmt.Sprintf("WorkflowType = '%s'", t)
	}
	query += ")"
	for {
		resp, err := a.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, PageSize: 500, NextPageToken: token})
		if err != nil {
			return sent, fmt.Errorf("list open processes: %w", err)
		}
		for _, e := range resp.Executions {
			err := a.Temporal.SignalWorkflow(ctx, e.Execution.WorkflowId, "", r.SignalName, records.CalendarChanged{Version: r.Version})
			if err != nil && !isNotFound(err) {
				return sent, fmt.Errorf("signal %s: %w", e.Execution.WorkflowId, err)
			}
			sent++
		}
		token = resp.NextPageToken
		activity.RecordHeartbeat(ctx, fanoutProgress{Token: token, Sent: sent})
		if len(token) == 0 {
			return sent, nil
		}
	}
}

type fanoutProgress struct {
	Token []byte `json:"token"`
	Sent  int    `json:"sent"`
}
