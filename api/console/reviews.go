package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// reviewsView is an expert's drawn applications awaiting its opinion.
type reviewsView struct{ Items []store.Task }

// reviewsPage lists the applications the signed-in expert was drawn for and
// has not yet given an opinion on (GET /api/v1/tasks?kind=expert_opinion:
// the API gives an expert its own only).
func (cs *Console) reviewsPage(c *gin.Context) {
	var list apiList[store.Task]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/tasks?kind=expert_opinion", nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	cs.render(c, http.StatusOK, "reviews", "评审任务", reviewsView{Items: list.Items})
}
