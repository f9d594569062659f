package api

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/store"
)

// The 初审 units (RULES §1): the 14 counties, each its own bureau, and the
// functional zones an operator adds and points at a county's bureau. A
// zone saved is told to its open processes by a fan-out.

func (s *Server) reviewUnitRoutes(r gin.IRoutes) {
	s.handle(r, op{Method: http.MethodGet, Path: "/api/v1/review-units",
		Roles:   []auth.Role{auth.CountyOfficer, auth.CityOfficer, auth.Supervisor, auth.Admin},
		Summary: "The 初审 units: the 14 counties and the functional zones, each with the county bureau that looks after it (RULES §1)",
		Result:  reviewUnitList{}}, s.listReviewUnits)
	s.handle(r, op{Method: http.MethodPut, Path: "/api/v1/review-units/{code}", Roles: []auth.Role{auth.Admin},
		Summary: "Add a functional zone, or point it at another county bureau (RULES §1): its open applications and brands are told, and the bureau's officers act on them from then on",
		Body:    reviewUnitBody{}, Result: reviewUnitSaved{}}, s.saveReviewUnit)
}

type reviewUnitView struct {
	Code         string `json:"code" doc:"县（市、区）或功能区代码"`
	Name         string `json:"name" doc:"名称"`
	Kind         string `json:"kind" enum:"review_unit_kind" doc:"county：县（市、区）；zone：功能区"`
	ReviewerCode string `json:"reviewer_code" doc:"负责初审和属地管理的县（市、区）人社部门代码"`
	ReviewerName string `json:"reviewer_name" doc:"该县（市、区）名称"`
	Active       bool   `json:"active" doc:"可受理新的申报"`
	Revision     int    `json:"revision" doc:"功能区第几次保存；县（市、区）为 0"`
	Told         bool   `json:"told" doc:"在办的申请和品牌都已改由最新的办理部门办理"`
}

func reviewUnitViewOf(u store.ReviewUnit) reviewUnitView {
	kind := "zone"
	if form.CountyName(u.Code) != "" {
		kind = "county"
	}
	return reviewUnitView{Code: u.Code, Name: u.Name, Kind: kind, ReviewerCode: u.ReviewerCode,
		ReviewerName: form.CountyName(u.ReviewerCode), Active: u.Active, Revision: u.Revision, Told: u.Told()}
}

type reviewUnitList struct {
	Items []reviewUnitView `json:"items" doc:"按代码排列"`
}

type reviewUnitBody struct {
	Name         string `json:"name" doc:"功能区名称，如“昆明高新技术产业开发区”，不超过40字" maxLength:"40"`
	ReviewerCode string `json:"reviewer_code" doc:"负责的县（市、区）人社部门代码（14个县（市、区）之一）"`
	Active       *bool  `json:"active,omitempty" doc:"可受理新的申报；缺省为 true"`
}

type reviewUnitSaved struct {
	Unit reviewUnitView `json:"unit" doc:"保存后的功能区"`
	// FanoutWorkflowID names the process that tells the zone's open
	// processes, for the Temporal UI.
	FanoutWorkflowID string `json:"fanout_workflow_id" doc:"通知该功能区在办申请和品牌的流程 ID；为空时由后台稍后发起"`
}

func (s *Server) listReviewUnits(c *gin.Context) {
	units, err := s.Store.ReviewUnits(c)
	if err != nil {
		fail(c, err)
		return
	}
	out := reviewUnitList{Items: make([]reviewUnitView, len(units))}
	for i, u := range units {
		out.Items[i] = reviewUnitViewOf(u)
	}
	c.JSON(http.StatusOK, out)
}

// zoneCode is a functional zone's code: six digits in Kunming's range, as
// the statistical codes of its development zones are (5301xx).
var zoneCode = regexp.MustCompile(`^5301[0-9]{2}$`)

const maxZoneName = 40

// saveReviewUnit adds a functional zone or saves it again, then starts the
// telling of its open processes; a start that fails is left to the
// starter's sweep (the zone is saved).
func (s *Server) saveReviewUnit(c *gin.Context) {
	code := c.Param("code")
	var b reviewUnitBody
	if !bindJSON(c, &b) {
		return
	}
	var fields []FieldError
	switch {
	case !zoneCode.MatchString(code):
		fields = append(fields, FieldError{Field: "code", Message: "功能区代码须为 5301 开头的6位数字"})
	case code == "530100" || code == "530101": // the city's own code (市级, as an expert's county) and 市辖区
		fields = append(fields, FieldError{Field: "code", Message: "530100（昆明市本级）和 530101（市辖区）不是功能区代码"})
	case form.CountyName(code) != "":
		fields = append(fields, FieldError{Field: "code", Message: "县（市、区）由本县（市、区）人社部门初审，不能改指其他部门"})
	}
	name := strings.TrimSpace(norm.NFC.String(b.Name))
	if n := len([]rune(name)); n == 0 || n > maxZoneName || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		fields = append(fields, FieldError{Field: "name", Message: "必填：功能区名称，不超过40字"})
	}
	reviewer := strings.TrimSpace(b.ReviewerCode)
	if form.CountyName(reviewer) == "" {
		fields = append(fields, FieldError{Field: "reviewer_code", Message: "须为昆明市14个县（市、区）之一的代码"})
	}
	if len(fields) > 0 {
		fail(c, errInvalid("功能区有误", fields...))
		return
	}
	active := b.Active == nil || *b.Active
	p := principal(c)
	u, err := s.Store.SaveReviewUnit(c, store.ReviewUnit{Code: code, Name: name, ReviewerCode: reviewer, Active: active},
		s.now(), p.Sub, string(p.Role))
	if errors.Is(err, store.ErrImportInProgress) {
		c.Header("Retry-After", "60")
		fail(c, errUnavailable("市级工作专班正在导入已入库品牌，暂不能保存功能区，请约一分钟后再保存"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	ctx, cancel := s.temporalCtx(c)
	defer cancel()
	id, err := s.starter().StartBureauFanout(ctx, records.BureauFanout{Zone: u.Code, Bureau: u.ReviewerCode, Revision: u.Revision})
	if err != nil {
		s.Log.Warn("bureau fan-out left to the starter's sweep", "zone", u.Code, "revision", u.Revision, "error", err)
	}
	c.JSON(http.StatusOK, reviewUnitSaved{Unit: reviewUnitViewOf(u), FanoutWorkflowID: id})
}
