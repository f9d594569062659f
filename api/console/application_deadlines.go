package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
)

// explainApplicationDeadlines attaches to each running deadline how it was
// computed (GET /api/v1/applications/{id}/deadlines), as the brand page
// does; a deadline the API could not explain keeps its day alone, and the
// page stands without any when the API fails.
func (cs *Console) explainApplicationDeadlines(c *gin.Context, id string, ds []deadlineView) {
	var list struct {
		Items []struct {
			Key         string       `json:"key"`
			Label       string       `json:"label"`
			Explanation *explanation `json:"explanation"`
		} `json:"items"`
	}
	if err := cs.callAPI(c, http.MethodGet, "/api/v1/applications/"+url.PathEscape(id)+"/deadlines", nil, "", &list); err != nil {
		cs.Log.Warn("console: application deadlines", "application", id, "error", err)
		return
	}
	for _, it := range list.Items {
		if it.Explanation == nil {
			continue
		}
		for i := range ds {
			if ds[i].Kind == it.Key {
				ds[i].Explained = &explained{Key: it.Key, Label: it.Label, Explanation: *it.Explanation}
			}
		}
	}
}
