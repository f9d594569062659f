package console

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// holderApplicationsView is the holder's own applications (GET /api/v1/
// holder/applications), each with its stage, running deadlines and what
// the holder may do now.
type holderApplicationsView struct {
	Items    []holderAppRow
	HasDraft bool
	DraftAt  string
}

type holderAppRow struct {
	store.ApplicationSummary
	Deadlines []deadlineView
}

func (cs *Console) holderApplications(c *gin.Context) {
	var list apiList[store.ApplicationSummary]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/holder/applications?limit=100", nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	var v holderApplicationsView
	for _, a := range list.Items {
		var ds []calendar.Deadline
		_ = decodeDeadlines(a.Deadlines, &ds)
		v.Items = append(v.Items, holderAppRow{ApplicationSummary: a, Deadlines: cs.deadlineViews(ds)})
	}
	switch d, err := cs.Store.Draft(c, session(c).Account.USCC, ""); {
	case err == nil:
		v.HasDraft, v.DraftAt = true, d.UpdatedAt.In(shanghai).Format("2006-01-02 15:04")
	case !errors.Is(err, store.ErrNotFound):
		// Not "no draft": a holder who has one must not think it lost.
		cs.fail(c, err)
		return
	}
	cs.render(c, http.StatusOK, "holder_applications", "我的申请", v)
}

// holderDone is the notice after the holder's own step.
func holderDone(done string) string {
	return map[string]string{"submitted": "推荐表已提交，已进入县级初审。初审前可以继续上传申报材料。",
		"resubmitted":  "已重新提交，申请回到县级初审。",
		"not_returned": "该申请已不在“退回补充材料”阶段（已重新提交，或已办结），不能再通过退回入口提交；当前进度见下。"}[done]
}

// nextStep says, for a holder, what happens next at an application's
// stage (第十一条–第十四条) and whether it still accepts materials.
func nextStep(stage string) string {
	switch stage {
	case workflows.StageCountyReview:
		return "所在县（市、区）人社部门正在初审（第十一条），期限见“办理期限”。初审作出决定前，可以继续上传或补充申报材料。"
	case workflows.StageReturned:
		return "申请已被退回补充材料。请按退回意见修改推荐表、补充材料，并在期限内重新提交；逾期未重新提交的，视为撤回申请。"
	case workflows.StageCityReview:
		return "已通过县级初审。市级人社部门组织劳务品牌专班成员和抽取的专家复审，必要时实地核查（第十二条）。此阶段无需您办理，如需补充会通知您。"
	case workflows.StagePublicNotice:
		return "已通过市级复审，正在向社会公示（第十三条）。公示期满无异议或异议不成立的，纳入市级劳务品牌项目库。"
	case workflows.StageObjectionReview:
		return "公示期已满，有异议正在核查。市级人社部门组织专班复核、作出决定后通知您（第十三条）。"
	case workflows.StageAdmitted:
		return "已纳入市级劳务品牌项目库。请关注品牌的待办事项：两年一次的发展情况报告，信息变化时提交变更申请（附件2）。"
	case workflows.StageRejected:
		return "未通过审核。详见办理记录中的意见。"
	case workflows.StageWithdrawn:
		return "申请已撤回（或因逾期未重新提交视为撤回）。如需申报，请在开放的申报批次重新填写推荐表。"
	}
	return ""
}

func init() {
	funcs["nextStep"] = nextStep
	funcs["materialsOpen"] = func(stage string) bool {
		return stage == workflows.StageCountyReview || stage == workflows.StageReturned
	}
}
