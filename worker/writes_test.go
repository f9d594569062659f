package worker

import (
	"context"
	"reflect"
	"testing"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// Every write a decision may leave to its caller is an activity the writer
// can make: registered, and of the shape func(ctx, arg) error.
func TestDecisionWriter_MakesEveryCallerWrite(t *testing.T) {
	acts := Activities(&activities.Activities{})
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	errType := reflect.TypeOf((*error)(nil)).Elem()
	for name := range workflows.CallerWrites {
		fn, ok := acts[name]
		if !ok {
			t.Errorf("%s is not registered", name)
			continue
		}
		ft := reflect.TypeOf(fn)
		if ft.NumIn() != 2 || ft.In(0) != ctxType || ft.NumOut() != 1 || ft.Out(0) != errType {
			t.Errorf("%s is %s, want func(context.Context, T) error", name, ft)
		}
	}
}

// A result naming any other activity is refused, never run.
func TestDecisionWriter_RefusesOtherActivities(t *testing.T) {
	w := NewDecisionWriter(&activities.Activities{})
	for _, name := range []string{workflows.ActivityDrawExperts, workflows.ActivityPruneOutbox, "Nothing"} {
		if err := w.Write(context.Background(), []records.Write{{Activity: name, Arg: []byte(`{}`)}}); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
}
