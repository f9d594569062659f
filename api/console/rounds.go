package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// roundsView is the rounds page: the calls for applications (第十条) and,
// for the city officer, the form that opens one.
type roundsView struct {
	Items []store.Round
	Form  *decisionForm
	Done  bool
}

// roundsPage lists the rounds (GET /api/v1/rounds).
func (cs *Console) roundsPage(c *gin.Context) {
	cs.showRounds(c, http.StatusOK, newDecisionForm("round", "/rounds"), c.Query("done") == "1")
}

func (cs *Console) showRounds(c *gin.Context, status int, f *decisionForm, done bool) {
	v := roundsView{Form: f, Done: done}
	var list apiList[store.Round]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/rounds?limit=100", nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Items = list.Items
	cs.render(c, status, "rounds", "申报批次", v)
}

// createRound opens a round (POST /api/v1/rounds) with the form's
// idempotency key: a double submit opens one.
func (cs *Console) createRound(c *gin.Context) {
	f := newDecisionForm("round", "/rounds")
	if k := c.PostForm("idempotency_key"); k != "" && len(k) <= 100 {
		f.IdempotencyKey = k
	}
	for _, k := range []string{"name", "opens_on", "closes_on"} {
		f.Values[k] = strings.TrimSpace(c.PostForm(k))
	}
	body := map[string]any{"name": f.Values["name"], "opens_on": f.Values["opens_on"], "closes_on": f.Values["closes_on"]}
	err := cs.callAPI(c, http.MethodPost, "/api/v1/rounds", body, f.IdempotencyKey, nil)
	if e, refused := err.(*APIError); refused && e.Status == http.StatusUnprocessableEntity {
		f.Errors, f.Message = e.Fields, e.Message
		f.IdempotencyKey = newToken()
		cs.showRounds(c, http.StatusUnprocessableEntity, f, false)
		return
	}
	if err != nil {
		cs.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/rounds?done=1")
}
