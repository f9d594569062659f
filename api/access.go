package api

import (
	"context"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// canRead reports whether p may read application ref (API.md "Who may do
// what"): the holder its own, a county its county's, a drawn expert its
// assignments, the city and supervisors everything.
func canRead(p auth.Principal, ref store.ApplicationRef) bool {
	switch p.Role {
	case auth.Applicant:
		return p.USCC == ref.HolderUSCC
	case auth.CountyOfficer:
		return p.County == ref.CountyCode || p.County == ref.ReviewerCode
	case auth.Expert:
		return slices.Contains(ref.Drawn, p.Sub)
	case auth.CityOfficer, auth.Supervisor:
		return true
	}
	return false
}

// application loads the application of the :id path parameter and checks
// that the caller may read it; it answers 404/403 itself and returns false.
func (s *Server) application(c *gin.Context) (store.ApplicationRef, bool) {
	ref, err := s.Store.GetApplicationRef(c, c.Param("id"))
	if err != nil {
		fail(c, err)
		return ref, false
	}
	if !canRead(principal(c), ref) {
		fail(c, errForbidden("无权查看或办理该申请"))
		return ref, false
	}
	return ref, true
}

// mayReplay runs the access check of the request's route before a stored
// answer is replayed to it (API.md idempotency): the object's reader for a
// route on one application, brand or report; for every other route the
// roles that authenticate checked are its whole rule. It answers 403/404
// itself and returns false.
func (s *Server) mayReplay(c *gin.Context) bool {
	route := c.FullPath()
	switch {
	case strings.HasPrefix(route, "/api/v1/applications/:id"):
		_, ok := s.application(c)
		return ok
	case strings.HasPrefix(route, "/api/v1/brands/:id"):
		_, ok := s.brand(c)
		return ok
	case strings.HasPrefix(route, "/api/v1/reports/:id"):
		_, ok := s.report(c)
		return ok
	}
	return true
}

// report loads the report of the :id path parameter and checks that the
// caller may triage it: the city any, a county officer those of the
// counties it looks after. It answers 404/403 itself and returns false.
func (s *Server) report(c *gin.Context) (store.Report, bool) {
	r, err := s.Store.GetReport(c, c.Param("id"))
	if err != nil {
		fail(c, err)
		return r, false
	}
	if p := principal(c); p.Role == auth.CityOfficer {
		return r, true
	} else if ok, err := s.looksAfter(c, p, r.CountyCode); err != nil || !ok {
		if err == nil {
			err = errForbidden("县级人社部门只能处理本县（市、区）的举报")
		}
		fail(c, err)
		return r, false
	}
	return r, true
}

// looksAfter reports whether county officer p looks after county's
// brands and reports: its own county's, and a functional zone's pointed at
// its bureau (RULES §1).
func (s *Server) looksAfter(ctx context.Context, p auth.Principal, county string) (bool, error) {
	if p.County == county {
		return true, nil
	}
	reviewer, _, err := s.Store.Reviewer(ctx, county)
	return err == nil && reviewer == p.County, err
}

// officerCounty is a county officer's ?county=: empty or its own county
// (then its own and its functional zones', RULES §1), or one zone it looks
// after (that zone alone). Any other county is refused: it answers 403
// itself, naming what is listed, and returns false.
func (s *Server) officerCounty(c *gin.Context, county, what string) (string, bool) {
	p := principal(c)
	if county == "" || county == p.County {
		return p.County, true
	}
	ok, err := s.looksAfter(c, p, county)
	switch {
	case err != nil:
		fail(c, err)
		return "", false
	case !ok:
		fail(c, errForbidden("县级人社部门只能查看本县（市、区）及其负责的功能区的"+what))
		return "", false
	}
	return county, true
}

// actor is the caller as the workflows see it.
func actorOf(p auth.Principal) workflows.Actor {
	return workflows.Actor{Sub: p.Sub, Role: string(p.Role), County: p.County, USCC: p.USCC}
}
