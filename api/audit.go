package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// The audit trail (RULES §6, 等保 2.0 安全审计) read through the API: the
// entries, newest first, and the check of their hash chain — the same check
// as `laborbrand audit verify`.

var auditReaders = []auth.Role{auth.Admin, auth.Supervisor}

func (s *Server) auditRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/audit", Roles: auditReaders,
		Query:   []string{"actor", "action", "object_type", "object_id", "cursor", "limit"},
		Summary: "The audit trail, newest first: who did what to which object, each entry's hash", Result: auditList{}}, s.listAudit)
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/audit/verify", Roles: auditReaders,
		Summary: "Check the audit trail's hash chain (as `laborbrand audit verify`): the first entry that breaks it, if any", Result: auditCheck{}}, s.verifyAudit)
}

type auditList struct {
	Items []store.AuditListed `json:"items" doc:"本页的记录，最新的在前"`
	Next  *string             `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

// listAudit answers GET /api/v1/audit.
func (s *Server) listAudit(c *gin.Context) {
	var fields fieldCheck
	f := store.AuditFilter{Actor: strings.TrimSpace(c.Query("actor")), Action: strings.TrimSpace(c.Query("action")),
		ObjectType: strings.TrimSpace(c.Query("object_type")), ObjectID: strings.TrimSpace(c.Query("object_id"))}
	for name, v := range map[string]string{"actor": f.Actor, "action": f.Action, "object_type": f.ObjectType, "object_id": f.ObjectID} {
		if len([]rune(v)) > 100 {
			fields.add(name, "不超过100字")
		}
	}
	if f.Page = fields.page(c); fields.failed(c, "查询参数有误") {
		return
	}
	items, next, err := s.Store.AuditLog(c, f)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, auditList{Items: items, Next: nextCursor(next)})
}

type auditCheck struct {
	Checked  int64  `json:"checked" doc:"检查的记录数"`
	Intact   bool   `json:"intact" doc:"哈希链完整：没有记录被删除、调换或改动"`
	BrokenAt *int64 `json:"broken_at" doc:"第一条不符的记录序号；完整时为 null"`
	Reason   string `json:"reason" doc:"不符的原因；完整时为空"`
}

// auditVerifyFor bounds a verification through the API; a trail too long
// for it is verified with `laborbrand audit verify`.
const auditVerifyFor = 5 * time.Minute

// auditVerified is a verification's outcome, shared by the requests that
// asked while it ran.
type auditVerified struct {
	checked int64
	broken  *store.AuditBreak
}

// verifyAudit answers GET /api/v1/audit/verify. The check rereads and
// hashes the whole trail in PostgreSQL: requests that come while one runs
// wait for its answer rather than start their own (one at a time per
// replica, however often the console's 校验 is pressed).
func (s *Server) verifyAudit(c *gin.Context) {
	v, err, _ := s.auditVerifying.Do("verify", func() (any, error) {
		// Not the first caller's context: one that leaves does not cancel
		// the check the others wait for. Bounded: a stopping replica does
		// not wait for it longer than that (the CLI has no bound).
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), auditVerifyFor)
		defer cancel()
		n, broken, err := s.Store.VerifyAudit(ctx)
		return auditVerified{n, broken}, err
	})
	if err != nil {
		fail(c, err)
		return
	}
	n, broken := v.(auditVerified).checked, v.(auditVerified).broken
	out := auditCheck{Checked: n, Intact: broken == nil}
	if broken != nil {
		out.BrokenAt = &broken.ID
		out.Reason = "哈希与该条记录的内容不符（记录被改动）"
		if strings.HasPrefix(broken.Reason, "prev_hash") {
			out.Reason = "与上一条记录的哈希不相接（有记录被删除或调换）"
		}
	}
	c.JSON(http.StatusOK, out)
}
