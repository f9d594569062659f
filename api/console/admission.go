package console

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// mountAdmission registers the admission pages (第十条–第十四条): the
// application page with its decisions and files, the applications list,
// rounds and the expert pool.
func (cs *Console) mountAdmission(in *gin.RouterGroup) {
	in.GET("/applications", cs.applicationsPage)
	in.GET("/applications/:id/form.pdf", cs.formPDF)
	in.GET("/applications/:id/attachments/:aid", cs.attachment)
	in.POST("/applications/:id/:decision", cs.decide)
	in.POST("/applications/:id/objections/:oid/ruling", cs.decide)
	in.GET("/reviews", cs.reviewsPage)
	in.GET("/rounds", cs.roundsPage)
	in.POST("/rounds", cs.createRound)
	in.GET("/experts", cs.expertsPage)
	in.POST("/experts", cs.addExpert)
	in.POST("/experts/:eid/deactivate", cs.deactivateExpert)
}

// The admission pages' template functions.
func init() {
	funcs["checkResult"] = checkResultLabel
	funcs["attachmentKind"] = attachmentKindLabel
	funcs["size"] = sizeText
	funcs["cityDecisions"] = func() any { return cityDecisions }
	funcs["relaxField"] = relaxField
	funcs["deadlineKind"] = workflows.DeadlineKindLabel
	funcs["hasSuffix"] = strings.HasSuffix
	funcs["list"] = func(s ...string) []string { return s }
	funcs["dict"] = dict
	funcs["objectionLabels"] = func() map[string]string { return decisionNamed("objections").labels }
	funcs["picture"] = func(contentType string) bool { return strings.HasPrefix(contentType, "image/") }
}

// dict makes a map of its key/value arguments, to hand a sub-template
// more than one value.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

// admissionNav are the admission pages' entries a role sees.
func admissionNav(role auth.Role) []navItem {
	switch role {
	case auth.CountyOfficer, auth.Supervisor:
		return []navItem{{"申请列表", "/applications"}}
	case auth.CityOfficer:
		return []navItem{{"申请列表", "/applications"}, {"申报批次", "/rounds"}, {"专家智库", "/experts"}}
	case auth.Expert:
		return []navItem{{"评审任务", "/reviews"}}
	}
	return nil
}
