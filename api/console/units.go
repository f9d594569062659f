package console

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
	"github.com/kunming-hrss/laborbrand/store"
)

// The 初审 units a page names and offers: the 14 counties of the scheme and
// the functional zones an admin adds since (RULES §1), as review_units has
// them. A zone added is named and offered on every page within a minute,
// without a restart; before, its applications and brands showed a bare code
// and no form offered it.

// unitsKept is how long a read of review_units serves the pages;
// unitsRetry how soon a read that failed is tried again.
const (
	unitsKept  = time.Minute
	unitsRetry = 5 * time.Second
)

// unitCache is a Console's last read of review_units.
type unitCache struct {
	mu   sync.Mutex
	at   time.Time
	list []store.ReviewUnit
}

// zoneNames names the units form does not know (the zones), for countyName:
// a template function, package-wide as the templates' functions are. The
// console's last read sets it.
var zoneNames atomic.Pointer[map[string]string]

// reviewUnits are the units as last read, read again when older than
// unitsKept; the counties alone (nil) while the database cannot be read.
func (cs *Console) reviewUnits(ctx context.Context) []store.ReviewUnit {
	if cs.Store == nil {
		return nil
	}
	cs.units.mu.Lock()
	defer cs.units.mu.Unlock()
	if time.Since(cs.units.at) < unitsKept {
		return cs.units.list
	}
	list, err := cs.Store.ReviewUnits(ctx)
	if err != nil {
		// Asked again in a few seconds, not by every page meanwhile: during
		// an outage each would wait for its own timeout here, in turn.
		cs.Log.Warn("console: review units not read; the last read (or the counties alone) serves", "error", err)
		cs.units.at = time.Now().Add(unitsRetry - unitsKept)
		return cs.units.list
	}
	names := map[string]string{}
	for _, u := range list {
		if form.CountyName(u.Code) == "" {
			names[u.Code] = u.Name
		}
	}
	zoneNames.Store(&names)
	cs.units.list, cs.units.at = list, time.Now()
	return list
}

// forgetUnits makes the next page read review_units again (a unit saved).
func (cs *Console) forgetUnits() {
	cs.units.mu.Lock()
	defer cs.units.mu.Unlock()
	cs.units.at = time.Time{}
}

// counties are the units a page offers to choose where a zone may be
// chosen (an application's, a brand's, a list's filter): the 14 counties,
// then the zones in service. An officer's account, an expert's county and a
// county's own days off are the 14 counties' alone (form.Counties).
func (cs *Console) counties(c *gin.Context) []form.County {
	out := form.Counties()
	for _, u := range cs.reviewUnits(c) {
		if u.Active && form.CountyName(u.Code) == "" {
			out = append(out, form.County{Code: u.Code, Name: u.Name, Type: "功能区"})
		}
	}
	return out
}

// countyName names a county or zone by its code; the code itself when
// neither is known.
func countyName(code string) string {
	if n := form.CountyName(code); n != "" {
		return n
	}
	if code == cityExpertCode {
		return "昆明市（市级）"
	}
	if names := zoneNames.Load(); names != nil {
		if n, ok := (*names)[code]; ok {
			return n
		}
	}
	return code
}

// countyFilter is a page's choice of county: the first choice ("", every
// county the reader may see, named AllLabel), then each county or
// functional zone. A county officer's is its own county; when zones are
// pointed at its bureau (RULES §1) it may narrow to one of them: a list's
// first choice is its county's items and its zones', the figures' (counted
// by where a brand is) its county alone, a choice like the zones, with no
// first. With no zone its county is fixed.
type countyFilter struct {
	County      string // chosen: "" for the first choice
	AllLabel    string
	Counties    []option
	CountyFixed bool
}

// countyFilterOf reads the page's ?county= into the reader's filter; all
// names the first choice for the city's readers.
func (cs *Console) countyFilterOf(c *gin.Context, all string, zonesInOwn bool) countyFilter {
	chosen := c.Query("county")
	a := session(c).Account
	if auth.Role(a.Role) != auth.CountyOfficer {
		f := countyFilter{County: chosen, AllLabel: all}
		for _, co := range cs.counties(c) {
			f.Counties = append(f.Counties, option{co.Code, co.Name})
		}
		return f
	}
	f := countyFilter{AllLabel: countyName(a.County) + "及负责的功能区"}
	if !zonesInOwn { // its county is a choice of its own, and the first
		f = countyFilter{County: a.County, Counties: []option{{a.County, countyName(a.County)}}}
	}
	for _, u := range cs.reviewUnits(c) {
		if u.ReviewerCode == a.County && u.Code != a.County {
			f.Counties = append(f.Counties, option{u.Code, u.Name})
			if u.Code == chosen {
				f.County = chosen
			}
		}
	}
	if len(f.Counties) == 0 || !zonesInOwn && len(f.Counties) == 1 {
		return countyFilter{County: a.County, CountyFixed: true}
	}
	return f
}

// listCounties are the places a list's county filter offers, and its first
// choice's name: every county and zone to the city ("全部"); to a county
// officer that looks after functional zones (RULES §1), each zone, the
// first choice being its county and them all (the API reads its own code
// so), named so; none to one with its county alone.
func (cs *Console) listCounties(c *gin.Context) (all string, counties []option) {
	f := cs.countyFilterOf(c, "全部", true)
	if f.CountyFixed {
		return "", nil
	}
	return f.AllLabel, f.Counties
}
