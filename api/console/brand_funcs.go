package console

import (
	"io"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// The brand pages' template functions, added to the shared set.
func init() {
	funcs["brandStatus"] = workflows.BrandStatusLabel
	funcs["matter"] = workflows.MatterLabel
	funcs["findingReason"] = workflows.FindingReasonLabel
	funcs["levelName"] = levelName
	funcs["ladder"] = ladderLevel
	funcs["awaitsSuspension"] = func(b store.BrandView) bool {
		return slices.ContainsFunc(b.OpenMatters, func(m store.OpenMatterView) bool { return m.Kind == workflows.PendingSuspension })
	}
	funcs["outcome"] = func(o string) string {
		return map[string]string{"pass": "通过", "findings": "发现问题", "removal_proposed": "建议移出"}[o]
	}
	funcs["findingJoined"] = func(j string) string {
		return map[string]string{"rectification": "并入进行中的整改（不另行责令）", "suspension": "并入暂停处理（延续暂停时一并考虑）"}[j]
	}
	funcs["changeStatus"] = func(s string) string {
		return map[string]string{"county": "待县级审核", "city": "待市级审核", "approved": "已批准", "refused": "不予批准"}[s]
	}
	funcs["reportStatus"] = func(s string) string {
		return map[string]string{"open": "待处理", "received": "待处理", "dismissed": "不予立案", "finding": "已认定问题"}[s]
	}
	funcs["formIn"] = func(f *actionForm, csrf, brandID string) any {
		return struct {
			Form          *actionForm
			CSRF, BrandID string
		}{f, csrf, brandID}
	}
}

// ladderLevel is the brand's place on 第十五条's ladder.
func ladderLevel(b store.BrandView) string {
	switch {
	case b.Status == workflows.BrandStatusRemoved:
		return "已移出项目库（第十五条（四））"
	case b.Status == workflows.BrandStatusSuspended:
		return "三级：暂停标识使用权（第十五条（三））"
	case b.Rectification != nil && b.Rectification.Level >= 2:
		return "二级：约谈整改（第十五条（二））"
	case b.Rectification != nil:
		return "一级：限期整改（第十五条（一））"
	}
	return "正常"
}

// brandDocument passes one of the brand's printed forms (附件2, 附件3) from
// the API to the browser: the signed-in person's session is not an API
// credential, so the console fetches it as that person.
func (cs *Console) brandDocument(c *gin.Context) {
	path := "/api/v1/brands/" + url.PathEscape(c.Param("id")) + "/removal-report.pdf"
	if cid := c.Param("cid"); cid != "" {
		path = "/api/v1/brands/" + url.PathEscape(c.Param("id")) + "/changes/" + url.PathEscape(cid) + "/form.pdf"
	}
	rec, err := cs.fetchFile(c, path)
	if err != nil {
		cs.fail(c, err)
		return
	}
	if rec.status != http.StatusOK {
		// Only a 404 says the document does not exist: a database that is
		// down must not tell an officer there is nothing to print.
		msg := map[int]string{403: "您无权查看该文书。", 404: "该文书尚不存在：报请移出或提出变更后才可打印。"}[rec.status]
		if msg == "" {
			cs.fail(c, &APIError{Status: rec.status, Code: "refused", Message: "暂时无法读取该文书，请稍后重试。"})
			return
		}
		cs.errorPage(c, rec.status, "无法打开文书", msg)
		return
	}
	c.Header("Content-Type", rec.header.Get("Content-Type"))
	if d := rec.header.Get("Content-Disposition"); d != "" {
		c.Header("Content-Disposition", d)
	}
	c.Status(http.StatusOK)
	_, _ = io.Copy(c.Writer, &rec.body)
}
