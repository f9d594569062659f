// Package expertdraw is the random draw of experts for 复审 (第十二条
// "抽取专家智库成员"): avoidance of conflicts, preference for the category's
// specialists, and a recorded seed and pool so any draw can be replayed.
package expertdraw

import (
	"math/rand/v2"
	"slices"
)

// Expert is a member of the pool as the draw sees it; recorded with each
// draw, the pool as it stood shows why an expert was or was not a candidate.
type Expert struct {
	ID              string   `json:"id"`
	Specialties     []string `json:"specialties"`
	CountyCode      string   `json:"county_code"`
	AffiliationUSCC string   `json:"affiliation_uscc,omitempty"`
	Active          bool     `json:"active"`
}

// Request describes one draw.
type Request struct {
	Seed       uint64
	Count      int
	Category   string // the application's category (第六条)
	CountyCode string // the applicant's county: its experts are avoided
	// ReviewerCode is the county bureau that reviews a functional zone's
	// applications (RULES §1): a zone has no experts of its own, so those
	// of its bureau are avoided in its stead.
	ReviewerCode string
	USCC         string   // the applicant's organisation: its experts are avoided
	Exclude      []string // experts already drawn for this application
}

// Result is a draw: the experts drawn, in draw order, and the candidate pool
// they were drawn from (sorted ids) — with the seed, enough to replay it.
type Result struct {
	Drawn    []string `json:"drawn"`
	Pool     []string `json:"pool"`
	Fallback bool     `json:"fallback"` // too few specialists: drawn among all active experts
}

// Draw draws r.Count experts (fewer when the pool is smaller). RULES §3:
// active experts, excluding those of the applicant's county (for a
// functional zone, of the bureau that reviews it) and of its own
// organisation, whose specialties include the category — falling back to all
// such active experts when too few are specialists.
func Draw(pool []Expert, r Request) Result {
	var eligible, specialists []string
	for _, e := range pool {
		if !e.Active || e.CountyCode == r.CountyCode || (r.ReviewerCode != "" && e.CountyCode == r.ReviewerCode) ||
			(r.USCC != "" && e.AffiliationUSCC == r.USCC) ||
			slices.Contains(r.Exclude, e.ID) {
			continue
		}
		eligible = append(eligible, e.ID)
		if slices.Contains(e.Specialties, r.Category) {
			specialists = append(specialists, e.ID)
		}
	}
	res := Result{Pool: specialists}
	if len(specialists) < r.Count {
		res.Pool, res.Fallback = eligible, true
	}
	res.Drawn = Replay(res.Pool, r.Seed, r.Count)
	return res
}

// Replay draws count experts from a recorded pool with a recorded seed; it
// gives the same experts every time.
func Replay(pool []string, seed uint64, count int) []string {
	ids := slices.Clone(pool)
	slices.Sort(ids)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	if count > len(ids) {
		count = len(ids)
	}
	return ids[:count]
}
