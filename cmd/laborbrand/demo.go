package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kunming-hrss/laborbrand/api/console"
	"github.com/kunming-hrss/laborbrand/calendar"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
	"github.com/kunming-hrss/laborbrand/internal/dev/demo"
	"github.com/kunming-hrss/laborbrand/internal/platform/account"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// seedDemo fills the system with demo data through the HTTP API, as a
// county's or the city's own software would: an open round, the expert pool,
// applications from several counties at different stages, and brands
// admitted in earlier years at every point of their life (demoClient.brand). It
// is idempotent: what exists (an expert id, an open application of the same
// brand, a brand's process) is left alone.
func seedDemo(ctx context.Context, d *deps, queue, addr string, secret []byte) error {
	c := &demoClient{api: apiclient.New("http://"+addr, secret, 4)}
	defer c.api.Close()
	city := c.token(auth.Principal{Sub: "demo-city", Role: auth.CityOfficer})
	var rounds struct{ Items []map[string]any }
	if err := c.api.Must(ctx, "GET", "/api/v1/rounds", city, nil, &rounds, 200); err != nil {
		return err
	}
	if len(rounds.Items) == 0 {
		today := d.clock.Now()
		body := map[string]any{"name": "演示批次", "opens_on": calendar.DateOf(today.AddDate(0, 0, -7)).String(),
			"closes_on": calendar.DateOf(today.AddDate(0, 3, 0)).String()}
		if err := c.api.Must(ctx, "POST", "/api/v1/rounds", city, body, nil, 201); err != nil {
			return err
		}
	}
	for _, e := range demo.Experts() {
		body := map[string]any{"id": e.ID, "name": e.Name, "specialties": e.Specialties, "county_code": e.County}
		if err := c.api.Must(ctx, "POST", "/api/v1/experts", city, body, nil, 201, 409); err != nil {
			return err
		}
	}
	for _, s := range demo.Scenarios() {
		if err := c.advance(ctx, s, city); err != nil {
			return fmt.Errorf("demo %s: %w", s.Form["brand_name"], err)
		}
	}
	for _, b := range demo.Brands() {
		if err := c.brand(ctx, d, queue, b, city); err != nil {
			return fmt.Errorf("demo brand %s: %w", b.Name, err)
		}
	}
	d.log.Info("demo data ready", "applications", len(demo.Scenarios()), "experts", len(demo.Experts()),
		"brands", len(demo.Brands()))
	return nil
}

// advance submits a scenario's application and takes it to its stage.
func (c *demoClient) advance(ctx context.Context, s demo.Scenario, city string) error {
	holder := c.token(auth.Principal{Sub: "demo-holder", Role: auth.Applicant, USCC: s.Form["uscc"].(string)})
	county := c.token(auth.Principal{Sub: "demo-county", Role: auth.CountyOfficer, County: s.Form["county_code"].(string)})
	var app struct {
		ID      string
		Experts []struct{ ID string }
	}
	if err := c.api.Must(ctx, "POST", "/api/v1/applications", holder, s.Form, &app, 201, 409); err != nil || app.ID == "" {
		return err // a 409: already there from an earlier start
	}
	path := "/api/v1/applications/" + app.ID
	switch s.Stage {
	case "county_review":
		return nil
	case "returned":
		return c.api.Must(ctx, "POST", path+"/county-review", county, map[string]any{"decision": "return", "opinion": "请补充近两年培训人次的佐证材料"}, nil, 200)
	}
	approval := map[string]any{"decision": "approve", "opinion": "材料齐全，同意推荐"}
	if r := s.Form.Relaxations(); r != nil {
		approval["relaxations"] = r
	}
	if err := c.api.Must(ctx, "POST", path+"/county-review", county, approval, nil, 200); err != nil {
		return err
	}
	if err := c.api.Must(ctx, "POST", path+"/expert-draw", city, map[string]any{"count": 5}, &app, 200); err != nil {
		return err
	}
	if s.Stage == "city_review" {
		return nil
	}
	for _, e := range app.Experts[:3] {
		tok := c.token(auth.Principal{Sub: e.ID, Role: auth.Expert})
		if err := c.api.Must(ctx, "POST", path+"/expert-opinions", tok, map[string]any{"score": 86, "recommend": true, "comment": "品牌特色鲜明，带动就业明显"}, nil, 200); err != nil {
			return err
		}
	}
	approval["opinion"] = "同意入库公示"
	if err := c.api.Must(ctx, "POST", path+"/city-review", city, approval, nil, 200); err != nil {
		return err
	}
	// 第十三条: an objection during the notice, with its ruling clock. Who
	// objected stays in PostgreSQL; the process sees the objection's id.
	objection := map[string]any{"name": "某花卉种植合作社", "contact": "0871-00000000",
		"content": "申报材料中的带动就业人数与实际不符", "evidence": "附合作社社员名册及用工记录"}
	return c.api.Must(ctx, "POST", "/api/v1/public/applications/"+app.ID+"/objections", "", objection, nil, 201)
}

// demoClient is the API client with the demo's principals.
type demoClient struct{ api *apiclient.Client }

// token signs a token for p; the demo's principals are all valid.
func (c *demoClient) token(p auth.Principal) string {
	t, _ := c.api.Token(p)
	return t
}

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
