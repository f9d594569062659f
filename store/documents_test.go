package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
)

// 附件1 as printed (第十一条): the 县级人社部门意见 box carries the county's
// decision on the form as it stands. After 退回补充 and the holder's
// resubmission the returned form's opinion is not the new form's: the box
// is empty until the county decides again.
func Test第十一条_ThePrintedFormCarriesTheOpinionOnItsOwnRevision(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	openRoundWith(t, st, roseApplication("A1", "安宁玫瑰"))
	event := func(action, note string, at time.Time) {
		t.Helper()
		if _, err := st.Pool().Exec(ctx, `INSERT INTO application_events (application_id, at, actor, role, action, note, dedupe_key)
			VALUES ('A1', $1, 'test', 'county_officer', $2, $3, $4)`, at, action, note, action+at.String()); err != nil {
			t.Fatal(err)
		}
	}
	county := func() string {
		t.Helper()
		c, _, err := st.ReviewOpinions(ctx, "A1")
		if err != nil {
			t.Fatal(err)
		}
		return c.Action + " " + c.Note
	}
	event("county_review.return", "请补充培训证明", raceDay)
	if got := county(); got != "county_review.return 请补充培训证明" {
		t.Errorf("returned: the county's opinion %q", got)
	}
	event("resubmitted", "", raceDay.Add(24*time.Hour))
	if got := county(); got != " " {
		t.Errorf("resubmitted: the county's opinion %q, want none yet on the new revision", got)
	}
	event("county_review.approve", "同意推荐", raceDay.Add(48*time.Hour))
	if got := county(); got != "county_review.approve 同意推荐" {
		t.Errorf("approved after the resubmission: the county's opinion %q", got)
	}
}
