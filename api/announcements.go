package api

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/store"
)

// Public pages of the library (RULES §6): published decisions, their Atom
// feed, and the catalog. Brand, unit, county, category and dates only.

// announcementKinds names each published decision (第十五条（三）（四）).
var announcementKinds = map[string]string{
	"suspension":  "暂停劳务品牌标识使用权",
	"renewal":     "延长暂停劳务品牌标识使用权",
	"restoration": "恢复劳务品牌标识使用权",
	"removal":     "移出劳务品牌项目库",
}

func kindLabel(kind string) string {
	if l, ok := announcementKinds[kind]; ok {
		return l
	}
	return kind
}

type announcementView struct {
	store.Announcement
	KindLabel     string `json:"kind_label" doc:"决定类型的中文名称"`
	UntilLabel    string `json:"until_label" doc:"effective_until 的中文名称（暂停期限至、不得再次申请至）；没有截止日期的决定为空"`
	CountyName    string `json:"county_name" doc:"县（市、区）名称"`
	CategoryLabel string `json:"category_label" doc:"所属类别的中文名称"`
}

type announcementList struct {
	Items []announcementView `json:"items" doc:"本页的记录"`
	Next  *string            `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

func (s *Server) announcements(c *gin.Context, f store.AnnouncementFilter) ([]announcementView, *string, bool) {
	var fields fieldCheck
	if _, ok := announcementKinds[f.Kind]; f.Kind != "" && !ok {
		fields.add("kind", "须为 suspension、renewal、restoration 或 removal")
	}
	if limit := fields.limit(c); limit > 0 {
		f.Limit = limit
	}
	if fields.failed(c, "查询参数有误") {
		return nil, nil, false
	}
	items, next, err := s.Store.ListAnnouncements(c, f)
	if err != nil {
		fail(c, err)
		return nil, nil, false
	}
	// A functional zone's brand is named by its zone, as the printed
	// announcement names it (the zones are the bureau's to add).
	names, ok := s.countyNames(c)
	if !ok {
		return nil, nil, false
	}
	out := make([]announcementView, len(items))
	for i, a := range items {
		out[i] = announcementView{Announcement: a, KindLabel: kindLabel(a.Kind), UntilLabel: paper.UntilLabel(a.Kind), CountyName: names.Name(a.CountyCode),
			CategoryLabel: form.Category(a.Category).Label()}
	}
	return out, nextCursor(next), true
}

// listAnnouncements lists published decisions, newest first.
func (s *Server) listAnnouncements(c *gin.Context) {
	items, next, ok := s.announcements(c, store.AnnouncementFilter{Kind: c.Query("kind"), BrandID: c.Query("brand_id"),
		Page: store.Page{Cursor: c.Query("cursor")}})
	if ok {
		c.JSON(http.StatusOK, announcementList{Items: items, Next: next})
	}
}

// Atom 1.0 (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string    `xml:"id"`
	Title     string    `xml:"title"`
	Updated   string    `xml:"updated"`
	Published string    `xml:"published"`
	Link      atomLink  `xml:"link"`
	Category  []atomCat `xml:"category"`
	Summary   atomText  `xml:"summary"`
	Content   atomText  `xml:"content"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// feedIDBase makes entry ids that never change with the deployment's
// address: a tag URI (RFC 4151) minted on the scheme's date.
const feedIDBase = "tag:laborbrand,2025-08-01:"

// announcementsFeed is the Atom feed of the 50 newest announcements.
func (s *Server) announcementsFeed(c *gin.Context) {
	items, _, ok := s.announcements(c, store.AnnouncementFilter{Kind: c.Query("kind"), Page: store.Page{Limit: 50}})
	if !ok {
		return
	}
	base := strings.TrimRight(s.Config.PublicBaseURL, "/")
	feed := atomFeed{Lang: "zh-CN", ID: feedIDBase + "announcements", Title: "昆明市市级劳务品牌项目库 · 暂停与移出公告",
		Updated: s.now().In(calendar.Shanghai).Format(time.RFC3339), Author: atomPerson{Name: "昆明市人力资源和社会保障局"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/api/v1/public/announcements.atom"},
			{Rel: "alternate", Type: "application/json", Href: base + "/api/v1/public/announcements"}}}
	if len(items) > 0 {
		feed.Updated = items[0].PublishedAt.In(calendar.Shanghai).Format(time.RFC3339)
	}
	for _, a := range items {
		feed.Entries = append(feed.Entries, atomEntryOf(a, base))
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}

func atomEntryOf(a announcementView, base string) atomEntry {
	at := a.PublishedAt.In(calendar.Shanghai).Format(time.RFC3339)
	dated := "决定日期"
	if a.Kind == "restoration" { // the year is over: no one decides it
		dated = "恢复日期"
	}
	text := fmt.Sprintf("%s（%s，%s，%s）：%s，%s %s", a.BrandName, a.UnitName, a.CountyName, a.CategoryLabel, a.KindLabel, dated, a.DecidedOn)
	if a.EffectiveUntil != nil && a.UntilLabel != "" {
		text += "，" + a.UntilLabel + " " + *a.EffectiveUntil
	}
	if a.Summary != "" {
		text += "。" + a.Summary
	}
	return atomEntry{ID: fmt.Sprintf("%sannouncement/%d", feedIDBase, a.ID), Title: a.KindLabel + "：" + a.BrandName,
		Updated: at, Published: at, Link: atomLink{Rel: "alternate", Href: fmt.Sprintf("%s/api/v1/public/announcements?brand_id=%s", base, a.BrandID)},
		Category: []atomCat{{Term: a.Kind, Label: a.KindLabel}, {Term: a.CountyCode, Label: a.CountyName}},
		Summary:  atomText{Type: "text", Text: a.KindLabel + "：" + a.BrandName + "（" + a.UnitName + "）"},
		Content:  atomText{Type: "text", Text: text}}
}

// catalogEntry is a brand as the public catalog shows it (RULES §6: no
// personal data).
type catalogEntry struct {
	ID         string `json:"id" doc:"编号"`
	Name       string `json:"name" doc:"劳务品牌名称"`
	CountyCode string `json:"county_code" doc:"县（市、区）行政区划代码（初审单位）"`
	Category   string `json:"category" enum:"category" doc:"所属类别（第六条）"`
	BrandType  string `json:"brand_type" enum:"brand_type" doc:"品牌类型：regional 区域公用劳务品牌（第八条），enterprise 企业劳务品牌（第九条）"`
	UnitName   string `json:"unit_name" doc:"申报单位（品牌持有单位）名称"`
	Status     string `json:"status" enum:"brand_status" doc:"品牌状态"`
	AdmittedOn string `json:"admitted_on" format:"date" doc:"入库日期"`
}

type catalogList struct {
	Items []catalogEntry `json:"items" doc:"本页的记录"`
	Next  *string        `json:"next" doc:"下一页的游标（cursor）；已是最后一页时为 null"`
}

// publicCatalog is the library's catalog: the brands in it (removed brands
// have left it; ?status=removed lists them).
func (s *Server) publicCatalog(c *gin.Context) {
	f := store.BrandFilter{Status: c.Query("status"), County: c.Query("county"), Category: c.Query("category"),
		Name: nameSearch(c.Query("name")), ExcludeRemoved: true}
	items, next, ok := s.pageBrands(c, f)
	if !ok {
		return
	}
	out := catalogList{Items: make([]catalogEntry, len(items)), Next: next}
	for i, b := range items {
		out.Items[i] = catalogEntry{ID: b.ID, Name: b.Name, CountyCode: b.CountyCode, Category: b.Category,
			BrandType: b.BrandType, UnitName: b.UnitName, Status: b.Status, AdmittedOn: b.AdmittedOn}
	}
	c.JSON(http.StatusOK, out)
}
