package console

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// workView is the work queue page.
type workView struct {
	Tasks   []store.Task
	NoQueue bool // the role has no work queue (an admin)
}

// workQueue is the signed-in person's pending actions (GET /api/v1/tasks):
// soonest due first, overdue ones in red, provisional deadlines marked.
func (cs *Console) workQueue(c *gin.Context) {
	var v workView
	if role := auth.Role(session(c).Account.Role); !slices.Contains([]auth.Role{auth.Applicant, auth.CountyOfficer,
		auth.CityOfficer, auth.Expert, auth.Supervisor}, role) {
		v.NoQueue = true
		cs.render(c, http.StatusOK, "work", "待办事项", v)
		return
	}
	var list apiList[store.Task]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/tasks?limit=500", nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Tasks = list.Items
	cs.render(c, http.StatusOK, "work", "待办事项", v)
}

// pageLink is where a work-queue entry opens in the console.
func pageLink(t store.Task) string {
	switch t.ObjectType {
	case "application":
		return "/applications/" + t.ObjectID
	case "brand":
		return "/brands/" + t.ObjectID
	}
	return ""
}
