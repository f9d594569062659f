package store_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/kunming-hrss/laborbrand/internal/dev/testenv"
	"github.com/kunming-hrss/laborbrand/store"
)

// RULES §4 (the draw takes the pool's active members): an officer's change
// of an expert and another's deactivation made while it runs both hold —
// the change is made over the record as it stands under the row's lock,
// never over what it read before, so a deactivated expert is not put back
// into the draws by a change of its specialties.
func TestDecision_Experts_AChangeDoesNotUndoADeactivationMadeMeanwhile(t *testing.T) {
	st := testenv.Store(t)
	ctx := t.Context()
	e := store.Expert{ID: "ZJ001", Name: "张三丰", Specialties: []string{"resident_services"}, CountyCode: "530102",
		Active: true, CreatedAt: raceDay, UpdatedAt: raceDay}
	if _, err := st.CreateExpert(ctx, e, "city", "city_officer"); err != nil {
		t.Fatal(err)
	}
	// The specialties' change holds the row while the deactivation is sent.
	holding, release := make(chan struct{}), make(chan struct{})
	changed := make(chan error, 1)
	go func() {
		_, err := st.UpdateExpert(ctx, "ZJ001", raceDay, func(e *store.Expert) error {
			e.Specialties = []string{"manufacturing"}
			close(holding)
			<-release
			return nil
		}, "city-a", "city_officer")
		changed <- err
	}()
	<-holding
	deactivated := make(chan error, 1)
	go func() {
		_, err := st.UpdateExpert(ctx, "ZJ001", raceDay, func(e *store.Expert) error { e.Active = false; return nil }, "city-b", "city_officer")
		deactivated <- err
	}()
	awaitLockWait(t, st, "the deactivation")
	close(release)
	if err := errors.Join(<-changed, <-deactivated); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetExpert(ctx, "ZJ001")
	if err != nil {
		t.Fatal(err)
	}
	if got.Active || !slices.Equal(got.Specialties, []string{"manufacturing"}) {
		t.Errorf("after a change and a deactivation at once: active %v, specialties %v; want both held", got.Active, got.Specialties)
	}
	// A change refused by its own check writes nothing.
	refused := errors.New("refused")
	if _, err := st.UpdateExpert(ctx, "ZJ001", raceDay, func(e *store.Expert) error { e.Name = "李四"; return refused }, "city", "city_officer"); !errors.Is(err, refused) {
		t.Errorf("a refused change answered %v", err)
	}
	if _, err := st.UpdateExpert(ctx, "ZJ404", raceDay, func(*store.Expert) error { return nil }, "city", "city_officer"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a change of no expert answered %v, want ErrNotFound", err)
	}
	if got, _ := st.GetExpert(ctx, "ZJ001"); got.Name != "张三丰" {
		t.Errorf("a refused change was written: %s", got.Name)
	}

	// 第十二条 (one person, one number): adding another expert under a number
	// the pool holds — two officers adding one number at once — adds none
	// and answers the expert on record.
	other := store.Expert{ID: "ZJ001", Name: "李四", Specialties: []string{"manufacturing"}, CountyCode: "530181",
		Active: true, CreatedAt: raceDay, UpdatedAt: raceDay}
	stored, err := st.CreateExpert(ctx, other, "city", "city_officer")
	if !errors.Is(err, store.ErrExpertExists) || stored.Name != "张三丰" {
		t.Errorf("a second expert under ZJ001: %v, answered %s; want ErrExpertExists and 张三丰", err, stored.Name)
	}
	var audited int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE object_id = 'ZJ001' AND action = 'expert.create'`).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("%d creations audited (%v), want 1", audited, err)
	}
}
