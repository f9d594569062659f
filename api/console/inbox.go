package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/store"
)

// inboxView is the signed-in person's in-app messages (GET /api/v1/inbox):
// reminders, escalations and decisions addressed to its role (and county
// or holder). The page is the same for every role.
type inboxView struct {
	Items  []store.InboxItem
	Unread int
	Cursor string // this page's cursor, "" on the newest
	Older  bool   // this page is not the newest
	Next   string // the page of older messages, "" on the last
}

func (cs *Console) mountInbox(in gin.IRoutes) {
	in.GET("/inbox", cs.inboxPage)
	in.POST("/inbox/:mid/read", cs.markRead)
}

func (cs *Console) inboxPage(c *gin.Context) {
	var list apiList[store.InboxItem]
	path := "/api/v1/inbox"
	cursor := c.Query("cursor")
	if cursor != "" {
		path += "?" + url.Values{"cursor": {cursor}}.Encode()
	}
	if err := cs.callAPI(c, http.MethodGet, path, nil, "", &list); err != nil {
		cs.fail(c, err)
		return
	}
	v := inboxView{Items: list.Items, Cursor: cursor, Older: cursor != ""}
	if list.Next != nil {
		v.Next = "/inbox?" + url.Values{"cursor": {*list.Next}}.Encode()
	}
	for _, m := range v.Items {
		if !m.Read {
			v.Unread++
		}
	}
	cs.render(c, http.StatusOK, "inbox", "消息", v)
}

// markRead marks one message read (POST /api/v1/inbox/{id}/read), then
// shows again the page it was marked on: a reader working through older
// messages stays among them.
func (cs *Console) markRead(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("mid"), 10, 64)
	if err != nil || id <= 0 {
		cs.NotFound(c)
		return
	}
	if err := cs.callAPI(c, http.MethodPost, "/api/v1/inbox/"+strconv.FormatInt(id, 10)+"/read", nil, "", nil); err != nil {
		cs.fail(c, err)
		return
	}
	back := "/inbox"
	if cursor := c.PostForm("cursor"); cursor != "" {
		back += "?" + url.Values{"cursor": {cursor}}.Encode()
	}
	c.Redirect(http.StatusSeeOther, back)
}

// messageLink is where a message's object opens in the console.
func messageLink(m store.InboxItem) string {
	return store.MessagePath(m.Kind, m.ObjectType, m.ObjectID)
}

func init() { funcs["messageLink"] = messageLink }
