package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// The change requests (附件2) across brands (GET /api/v1/changes): each
// links to its brand's page, where the opinions are given.

func (cs *Console) mountChanges(in *gin.RouterGroup) { in.GET("/changes", cs.changesPage) }

type changesView struct {
	Status, County string
	AllCounties    string // the county filter's first choice
	Counties       []option
	Items          []store.ChangeListed
	Next           string
}

func (cs *Console) changesPage(c *gin.Context) {
	v := changesView{Status: c.Query("status"), County: c.Query("county")}
	v.AllCounties, v.Counties = cs.listCounties(c)
	q := url.Values{}
	for _, k := range []string{"status", "county", "cursor"} {
		if val := c.Query(k); val != "" {
			q.Set(k, val)
		}
	}
	var list apiList[store.ChangeListed]
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/changes?"+q.Encode(), nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v.Items = list.Items
	if list.Next != nil {
		q.Set("cursor", *list.Next)
		v.Next = "/changes?" + q.Encode()
	}
	cs.render(c, http.StatusOK, "changes", "变更登记", v)
}
