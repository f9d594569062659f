package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/kunming-hrss/laborbrand/api"
	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/internal/platform/clock"
	"github.com/kunming-hrss/laborbrand/store"
)

// seedDemo fills the system with demo data through the HTTP API, as a
// county's or the city's own software would: an open round, the expert pool,
// applications from several counties at different stages, applications in
// flight brought over from before the system (demoClient.inFlight), and
// brands admitted in earlier years at every point of their life
// (demoClient.brand). It is idempotent: what exists (a round of the same
// name, an expert id, an application of the same brand in the demo's round
// at any stage, an application brought over, a brand's process) is left
// alone.
func seedDemo(ctx context.Context, d *deps, queue, addr string, secret []byte, conf api.Config) error {
	c := &demoClient{api: apiclient.New("http://"+addr, secret, 4), clock: d.clock, log: d.log}
	defer c.api.Close()
	city := c.api.As(auth.Principal{Sub: "demo-city", Role: auth.CityOfficer})
	today := d.clock.Now()
	round, err := c.round(ctx, "演示批次", today.AddDate(0, 0, -7), today.AddDate(0, 3, 0), city)
	if err != nil {
		return err
	}
	// Every application the demo submitted on an earlier start, whatever its
	// stage: a rejected or withdrawn one no longer blocks a new submission
	// of its name (409), so the name alone says it is there.
	submitted, err := c.applicationNames(ctx, round, city)
	if err != nil {
		return err
	}
	for _, e := range demo.Experts() {
		expert := client.NewExpertRequest{Id: &e.ID, Name: &e.Name, Specialties: &e.Specialties, CountyCode: &e.County}
		r, err := c.api.CreateExpertWithResponse(ctx, nil, expert, city)
		if _, err := client.Expect(r, err, http.StatusCreated, http.StatusConflict); err != nil {
			return fmt.Errorf("add expert %s: %w", e.ID, err)
		}
	}
	for _, s := range demo.Scenarios() {
		if submitted[s.Form["brand_name"].(string)] {
			continue
		}
		if err := c.advance(ctx, s, city); err != nil {
			return fmt.Errorf("demo %s: %w", s.Form["brand_name"], err)
		}
	}
	if err := c.inFlight(ctx, d, queue, conf.Admission, conf.Brand, city); err != nil {
		return err
	}
	for _, b := range demo.Brands() {
		if err := c.brand(ctx, d, queue, b, city); err != nil {
			return fmt.Errorf("demo brand %s: %w", b.Name, err)
		}
	}
	d.log.Info("demo data ready", "applications", len(demo.Scenarios())+len(demo.InFlights()), "experts", len(demo.Experts()),
		"brands", len(demo.Brands()))
	return nil
}

// date is the business date of t as the client sends it.
func date(t time.Time) openapi_types.Date {
	return openapi_types.Date{Time: calendar.DateOf(t).Start()}
}

// advance submits one scenario's application and takes it to its stage,
// each step by the role the rules give it.
func (c *demoClient) advance(ctx context.Context, s demo.Scenario, city client.RequestEditorFn) error {
	holder := c.api.As(auth.Principal{Sub: "demo-holder", Role: auth.Applicant, USCC: s.Form["uscc"].(string)})
	county := c.api.As(auth.Principal{Sub: "demo-county", Role: auth.CountyOfficer, County: s.Form["county_code"].(string)})
	form, err := s.Form.Typed()
	if err != nil {
		return err
	}
	r, err := client.Expect(c.api.SubmitApplicationWithResponse(ctx, nil, form, holder))
	if err != nil {
		var refused *client.StatusError
		if errors.As(err, &refused) && refused.Status == http.StatusConflict {
			return nil // already there from an earlier start
		}
		return fmt.Errorf("submit: %w", err)
	}
	id := r.JSON201.Id
	opinion := func(s string) *string { return &s }
	switch s.Stage {
	case "county_review":
		return nil
	case "returned":
		_, err := client.Expect(c.api.CountyReviewWithResponse(ctx, id, nil, client.CountyReviewRequest{
			Decision: client.CountyDecisionReturn, Opinion: opinion("请补充近两年培训人次的佐证材料")}, county))
		return err
	}
	relaxations := s.Form.Relaxations()
	if _, err := client.Expect(c.api.CountyReviewWithResponse(ctx, id, nil, client.CountyReviewRequest{
		Decision: client.CountyDecisionApprove, Opinion: opinion("材料齐全，同意推荐"), Relaxations: relaxations}, county)); err != nil {
		return fmt.Errorf("初审: %w", err)
	}
	five := 5
	drawn, err := client.Expect(c.api.ExpertDrawWithResponse(ctx, id, nil, client.ExpertDrawRequest{Count: &five}, city))
	if err != nil {
		return fmt.Errorf("expert draw: %w", err)
	}
	if s.Stage == "city_review" {
		return nil
	}
	score, recommend, comment := 86, s.Stage != "rejected", "品牌特色鲜明，带动就业明显"
	if !recommend {
		score, comment = 52, "带动就业规模偏小，品牌影响力尚不足"
	}
	for _, e := range drawn.JSON200.Experts[:3] {
		expert := c.api.As(auth.Principal{Sub: e.Id, Role: auth.Expert})
		if _, err := client.Expect(c.api.ExpertOpinionWithResponse(ctx, id, nil, client.ExpertOpinionRequest{
			Score: &score, Recommend: &recommend, Comment: &comment}, expert)); err != nil {
			return fmt.Errorf("opinion of %s: %w", e.Id, err)
		}
	}
	if s.Stage == "rejected" {
		_, err := client.Expect(c.api.CityReviewWithResponse(ctx, id, nil, client.CityReviewRequest{
			Decision: client.CityDecisionReject, Opinion: opinion("专家评审未予推荐，不予入库")}, city))
		return err
	}
	if _, err := client.Expect(c.api.CityReviewWithResponse(ctx, id, nil, client.CityReviewRequest{
		Decision: client.CityDecisionApprove, Opinion: opinion("同意入库公示"), Relaxations: relaxations}, city)); err != nil {
		return fmt.Errorf("复审: %w", err)
	}
	switch s.Stage {
	case demo.ViaObjectionUpheld, demo.ViaObjectionDismissed:
		return c.ruledObjection(ctx, id, s.Stage == demo.ViaObjectionUpheld, city)
	}
	// 第十三条: an objection during the notice, with its ruling clock. Who
	// objected stays in PostgreSQL; the process sees the objection's id.
	_, err = c.objection(ctx, id, func() (*client.ObjectionReceipt, error) {
		r, err := client.Expect(c.api.PublicObjectionWithResponse(ctx, id, nil, client.ObjectionRequest{Name: "某花卉种植合作社",
			Contact: "0871-00000000", Content: "申报材料中的带动就业人数与实际不符", Evidence: "附合作社社员名册及用工记录"}))
		if err != nil {
			return nil, err
		}
		return r.JSON201, nil
	})
	return err
}

// applicationNames are the brand names of the applications in round.
func (c *demoClient) applicationNames(ctx context.Context, round string, city client.RequestEditorFn) (map[string]bool, error) {
	names := map[string]bool{}
	limit := 200
	params := &client.ListApplicationsParams{Round: &round, Limit: &limit}
	for {
		page, err := client.Expect(c.api.ListApplicationsWithResponse(ctx, params, city))
		if err != nil {
			return nil, fmt.Errorf("list applications: %w", err)
		}
		for _, a := range page.JSON200.Items {
			names[a.BrandName] = true
		}
		if page.JSON200.Next == nil {
			return names, nil
		}
		params.Cursor = page.JSON200.Next
	}
}

// objection files an objection against an application the demo has just
// approved at 复审, trying again while its process has not yet recorded the
// 公示 (409 conflict). It answers nil, nil when the notice has not begun on
// the demo's business day: on a day off the notice starts on the next
// working day (RULES §3 Decision), and no objection is in time before it —
// the application stays in 公示 without one.
func (c *demoClient) objection(ctx context.Context, application string, file func() (*client.ObjectionReceipt, error)) (*client.ObjectionReceipt, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		receipt, err := file()
		var refused *client.StatusError
		if !errors.As(err, &refused) || refused.Status != http.StatusConflict {
			return receipt, err
		}
		var answer client.ErrorResponse
		if json.Unmarshal(refused.Body, &answer) == nil && answer.Error != nil && answer.Error.Code == "outside_notice_period" {
			c.log.Info("demo: the notice has not begun on the demo's day; no objection", "application", application, "day", c.today().String())
			return nil, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("objection: %w (last answer %v)", ctx.Err(), err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// ruledObjection enters a mailed objection against an application in 公示
// and rules it as the city would (第十三条): upheld, the application is
// rejected; dismissed, it stays in 公示 and is admitted when the period ends.
// On a day off the notice has not begun: no objection, the application
// stays in 公示.
func (c *demoClient) ruledObjection(ctx context.Context, id string, upheld bool, city client.RequestEditorFn) error {
	content, reason := "该协会会员中的杨梅种植户多为外县人员，带动本地就业情况与申报不符", "经核实，申报的带动就业人数中本地人员不足三成，异议成立"
	if !upheld {
		content, reason = "申报材料所附获奖证书年份有误", "经核实，证书年份为笔误，不影响申报条件，异议不成立"
	}
	today := c.today() // when it is filed: seeding may cross a business midnight
	objection, err := c.objection(ctx, id, func() (*client.ObjectionReceipt, error) {
		r, err := client.Expect(c.api.MailedObjectionWithResponse(ctx, id, nil, client.ObjectionRequest{Name: "某种植户", Contact: "0871-00000001",
			Content: content, Evidence: "附书面异议材料（邮寄）", PostmarkedOn: &today, ReceivedOn: &today}, city))
		if err != nil {
			return nil, err
		}
		return r.JSON201, nil
	})
	if err != nil || objection == nil {
		return err
	}
	_, err = client.Expect(c.api.ObjectionRulingWithResponse(ctx, id, objection.Id, nil,
		client.RulingRequest{Upheld: &upheld, Reason: reason}, city))
	if err != nil {
		return fmt.Errorf("ruling: %w", err)
	}
	return nil
}

// demoClient is the API client with the demo's principals.
type demoClient struct {
	api   *apiclient.Client
	clock clock.Clock // the stack's business clock
	log   *slog.Logger
}

// today is the business day now.
func (c *demoClient) today() openapi_types.Date { return date(c.clock.Now()) }

// seedDemoAccounts creates the demo's console accounts, one per role, with
// their known dev passwords (idempotent), and returns them for the dev login
// page.
func seedDemoAccounts(ctx context.Context, st *store.Store) ([]console.DevAccount, error) {
	var list []console.DevAccount
	by := store.AccountChange{At: time.Now(), Actor: "dev", Role: string(auth.Admin)}
	for _, a := range demo.Accounts() {
		hash, err := account.HashPassword(a.Password)
		if err != nil {
			return nil, err
		}
		_, err = st.CreateAccount(ctx, store.Account{Username: a.Username, Role: a.Role, County: a.County, USCC: a.USCC,
			ExpertID: a.ExpertID, PasswordHash: hash}, by)
		if err != nil && !errors.Is(err, store.ErrAccountExists) {
			return nil, fmt.Errorf("demo account %s: %w", a.Username, err)
		}
		list = append(list, console.DevAccount{Username: a.Username, Password: a.Password, Role: a.Role, Note: a.Note})
	}
	return list, nil
}
