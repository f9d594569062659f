package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/workflows"
)

type pingRequest struct {
	ID      string `json:"id"`
	Message string `json:"message"`
}

type pingView = activities.PingResult

// createPing runs the hello workflow to completion and answers with the row
// it wrote.
func (s *Server) createPing(c *gin.Context) {
	var req pingRequest
	if !bindJSON(c, &req) {
		return
	}
	var fields []FieldError
	if req.ID = strings.TrimSpace(req.ID); req.ID == "" || len(req.ID) > 64 {
		fields = append(fields, FieldError{Field: "id", Message: "必填，不超过64个字符"})
	}
	if n := utf8.RuneCountInString(req.Message); n == 0 || n > 200 {
		fields = append(fields, FieldError{Field: "message", Message: "必填，不超过200个字符"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("请求内容有误", fields...))
		return
	}
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	p := principal(c)
	run, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.PingWorkflowID(req.ID), TaskQueue: s.Config.TaskQueue,
	}, workflows.PingWorkflow, workflows.PingInput{ID: req.ID, Message: req.Message, Actor: p.Sub, Role: string(p.Role), Clock: s.Clock})
	if err != nil {
		fail(c, err)
		return
	}
	var out pingView
	if err := run.Get(ctx, &out); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (s *Server) getPing(c *gin.Context) {
	p, err := s.Store.GetPing(c, c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
