package api

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/paper"
	"github.com/kunming-hrss/laborbrand/store"
)

// The printed documents (internal/paper): the scheme's three forms filled
// from the records, read by whoever may read the record, and the public
// notice, admitted list and announcements, read by anyone.

// fonts gives the documents' fonts, or answers 503 naming the missing font.
func (s *Server) fonts(c *gin.Context) (*paper.Fonts, bool) {
	if s.paper == nil {
		fail(c, &Error{Status: http.StatusServiceUnavailable, Code: "pdf_font_missing",
			Message: "打印文件所需的中文字体未安装，暂不能生成 PDF（请系统管理员安装 fonts-droid-fallback 或设置 LB_PDF_FONT）",
			Details: map[string]any{"font": errString(s.paperErr)}})
		return nil, false
	}
	return s.paper, true
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// sendPDF answers with a document; private ones are never cached.
func sendPDF(c *gin.Context, name string, pdf []byte, err error, public bool) {
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", "inline; filename*=UTF-8''"+urlEscape(name))
	if public {
		c.Header("Cache-Control", "no-cache")
	} else {
		c.Header("Cache-Control", "private, no-store")
	}
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// reviewVerdicts are how a recorded 初审/复审 decision reads on 附件1.
var reviewVerdicts = map[string]string{
	"county_review.approve": "同意推荐。", "county_review.reject": "不予推荐。", "county_review.return": "退回补充材料。",
	"city_review.approve": "同意入库，进入公示。", "city_review.reject": "不予入库。",
	"objection.upheld": "公示期间异议成立，不予入库。",
}

func verdict(o store.ReviewOpinion) string {
	if o.Action == "" {
		return ""
	}
	if o.Action == "objection.upheld" { // its note names the objection's record, not an opinion
		return reviewVerdicts[o.Action]
	}
	return reviewVerdicts[o.Action] + o.Note
}

// applicationPDF is 附件1 filled from the application's current form.
func (s *Server) applicationPDF(c *gin.Context) {
	ref, ok := s.application(c)
	if !ok {
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	v, err := s.Store.GetApplicationView(c, ref.ID, viewFor(principal(c)))
	if err != nil {
		fail(c, err)
		return
	}
	var a form.Application
	raw, _ := json.Marshal(v.Form)
	if err := json.Unmarshal(raw, &a); err != nil {
		fail(c, err)
		return
	}
	county, city, err := s.Store.ReviewOpinions(c, ref.ID)
	if err != nil {
		fail(c, err)
		return
	}
	names, ok := s.countyNames(c)
	if !ok {
		return
	}
	form := paper.Recommendation{ApplicationID: v.ID, Form: a, CountyName: names.Name(v.CountyCode),
		CountyOpinion: verdict(county), CityOpinion: verdict(city), Revision: v.FormRevision, Printed: s.now()}
	pdf, err := s.prints.draw(c, func() ([]byte, error) { return fonts.RecommendationPDF(form) })
	sendPDF(c, "附件1-推荐表-"+v.ID+".pdf", pdf, err, false)
}

// brandBasics are 品牌基本情况 from the brand's current record.
func (s *Server) brandBasics(c *gin.Context, ref store.BrandRef) (paper.BrandBasics, map[string]any, error) {
	current, err := s.Store.BrandForm(c, ref.ID)
	if err != nil {
		return paper.BrandBasics{}, nil, err
	}
	names, err := s.Store.CountyNames(c)
	if err != nil {
		return paper.BrandBasics{}, nil, err
	}
	text := func(k string) string { v, _ := current[k].(string); return v }
	return paper.BrandBasics{BrandID: ref.ID, Name: ref.Name, UnitName: ref.UnitName, ContactName: text("contact_name"),
		Phone: text("contact_phone"), CountyName: paper.CountyNames(names).Name(ref.CountyCode)}, current, nil
}

// changePDF is 附件2 filled from a change request and its opinions.
func (s *Server) changePDF(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	ch, ok := s.brandChange(c, ref)
	if !ok {
		return
	}
	basics, current, err := s.brandBasics(c, ref)
	if err != nil {
		fail(c, err)
		return
	}
	var changes map[string]any
	if err := json.Unmarshal(ch.Changes, &changes); err != nil {
		fail(c, err)
		return
	}
	names, ok := s.countyNames(c)
	if !ok {
		return
	}
	if ch.DecidedAt != nil { // 品牌基本情况 as they stood when it was decided, whatever later changes made of them
		was, err := s.Store.ReplacedSince(c, ch.ID, []string{"brand_name", "unit_name", "contact_name", "contact_phone"})
		if err != nil {
			fail(c, err)
			return
		}
		for k, p := range map[string]*string{"brand_name": &basics.Name, "unit_name": &basics.UnitName,
			"contact_name": &basics.ContactName, "contact_phone": &basics.Phone} {
			if v, ok := was[k]; ok {
				*p = v
			}
		}
	}
	f := paper.ChangeForm{Brand: basics, ChangeID: ch.ID, Changes: changes, Reason: ch.Reason, RequestedAt: ch.RequestedAt, Printed: s.now(), Counties: names}
	switch {
	case ch.Replaced != nil: // the values the record held as the request was decided
		f.Before = *ch.Replaced
	case ch.Status != "approved": // under review (or refused before the values were kept): the record in force
		f.Before = current
	}
	if ch.CountyOpinion != nil {
		f.CountyOpinion = *ch.CountyOpinion
	}
	if ch.CityOpinion != nil {
		f.CityOpinion = *ch.CityOpinion
	}
	pdf, err := s.prints.draw(c, func() ([]byte, error) { return fonts.ChangePDF(f) })
	sendPDF(c, "附件2-登记变更表-"+ch.ID+".pdf", pdf, err, false)
}

// removalPDF is 附件3 filled from the brand's latest removal proposal.
func (s *Server) removalPDF(c *gin.Context) {
	ref, ok := s.brand(c)
	if !ok {
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	r, ok := s.brandRemoval(c, ref)
	if !ok {
		return
	}
	basics, _, err := s.brandBasics(c, ref)
	if err != nil {
		fail(c, err)
		return
	}
	f := paper.RemovalForm{Brand: basics, Reasons: r.Reasons, Description: r.Description, Decision: r.Decision, Printed: s.now()}
	if r.ReportedAt != nil {
		f.ReportedOn = *r.ReportedAt
		f.CountyNote = "已于" + r.ReportedAt.In(calendar.Shanghai).Format("2006年1月2日") + "报送市级人力资源社会保障部门，建议移出。"
	}
	pdf, err := s.prints.draw(c, func() ([]byte, error) { return fonts.RemovalPDF(f) })
	sendPDF(c, "附件3-移出情况表-"+ref.ID+".pdf", pdf, err, false)
}

// roundTitle checks the ?round= of a public list and gives its name.
func (s *Server) roundTitle(c *gin.Context) (id, name string, ok bool) {
	id = strings.TrimSpace(c.Query("round"))
	if id == "" {
		return "", "", true
	}
	r, err := s.Store.GetRound(c, id)
	if errors.Is(err, store.ErrNotFound) {
		fail(c, errInvalid("查询参数有误", FieldError{Field: "round", Message: "没有这个申报批次"}))
		return "", "", false
	} else if err != nil {
		fail(c, err)
		return "", "", false
	}
	return id, r.Name, true
}

func listed(in []store.Listed) []paper.Listed {
	out := make([]paper.Listed, len(in))
	for i, l := range in {
		out[i] = paper.Listed{BrandName: l.BrandName, UnitName: l.UnitName, CountyCode: l.CountyCode, Category: l.Category, BrandType: l.BrandType, On: l.On,
			Status: l.Status, Imported: l.Imported}
	}
	return out
}

// noticePDF is the 公示 notice of the applications now in public notice.
func (s *Server) noticePDF(c *gin.Context) {
	round, name, ok := s.roundTitle(c)
	if !ok {
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	list, start, end, err := s.Store.NoticeList(c, round)
	if err != nil {
		fail(c, err)
		return
	}
	names, ok := s.countyNames(c)
	if !ok {
		return
	}
	n := paper.Notice{RoundName: name, Start: start, End: end, Brands: listed(list), Counties: names,
		ObjectionURL: printedLink(s.Config.PublicBaseURL, "/public/notices"),
		Days:         s.Config.Admission.NoticeDays, RulingDays: s.Config.Admission.ObjectionRulingDays}
	pdf, err := s.prints.print(c, printKey{"notice", n, s.today().String()}, func() ([]byte, error) {
		n.Printed = s.now()
		return fonts.NoticePDF(n)
	})
	sendPDF(c, "公示.pdf", pdf, err, true)
}

// printedLink is the address a printed page gives the public for path on
// this deployment — none when its base is a loopback address (LB_PUBLIC_URL
// unset, or a machine's own): on a notice posted on a wall, it would send
// readers to their own computer.
func printedLink(base, path string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if ip := net.ParseIP(host); host == "localhost" || strings.HasSuffix(host, ".localhost") || ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
		return ""
	}
	return strings.TrimRight(base, "/") + path
}

// admittedPDF is the 入库名单: the brands in the library.
func (s *Server) admittedPDF(c *gin.Context) {
	round, name, ok := s.roundTitle(c)
	if !ok {
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	list, err := s.Store.AdmittedList(c, round)
	if err != nil {
		fail(c, err)
		return
	}
	names, ok := s.countyNames(c)
	if !ok {
		return
	}
	l := paper.AdmittedList{Title: name, Brands: listed(list), Counties: names}
	pdf, err := s.prints.print(c, printKey{"admitted", l, s.today().String()}, func() ([]byte, error) {
		l.Printed = s.now()
		return fonts.AdmittedListPDF(l)
	})
	sendPDF(c, "入库名单.pdf", pdf, err, true)
}

// announcementPDF is one published decision.
func (s *Server) announcementPDF(c *gin.Context) {
	a, err := s.Store.GetAnnouncement(c, c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		fail(c, errNotFound("没有这则公告"))
		return
	} else if err != nil {
		fail(c, err)
		return
	}
	fonts, ok := s.fonts(c)
	if !ok {
		return
	}
	until := ""
	if a.EffectiveUntil != nil {
		until = *a.EffectiveUntil
	}
	names, ok := s.countyNames(c)
	if !ok {
		return
	}
	an := paper.Announcement{Number: a.ID, Kind: a.Kind, BrandName: a.BrandName, UnitName: a.UnitName, Counties: names,
		CountyCode: a.CountyCode, Category: a.Category, DecidedOn: a.DecidedOn, EffectiveUntil: until, Summary: a.Summary, PublishedAt: a.PublishedAt}
	pdf, err := s.prints.print(c, printKey{"announcement", an, ""}, func() ([]byte, error) { return fonts.AnnouncementPDF(an) })
	sendPDF(c, "公告-"+c.Param("id")+".pdf", pdf, err, true)
}

// brandChange reads the change request named by the path's cid, which must
// be ref's; otherwise it answers 404 and reports false.
func (s *Server) brandChange(c *gin.Context, ref store.BrandRef) (store.ChangeView, bool) {
	ch, err := s.Store.GetChange(c, c.Param("cid"))
	return ch, found(c, err, err == nil && ch.BrandID == ref.ID, "该劳务品牌没有这项变更申请")
}

// brandRemoval reads ref's removal report (附件3), or answers 404.
func (s *Server) brandRemoval(c *gin.Context, ref store.BrandRef) (store.RemovalRecord, bool) {
	r, err := s.Store.BrandRemoval(c, ref.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		fail(c, errNotFound("该劳务品牌没有移出报告（附件3）"))
		return r, false
	case err != nil:
		fail(c, err)
		return r, false
	}
	return r, true
}
