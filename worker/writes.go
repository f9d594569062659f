package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/kunming-hrss/laborbrand/activities"
	"github.com/kunming-hrss/laborbrand/internal/records"
	"github.com/kunming-hrss/laborbrand/workflows"
)

// DecisionWriter makes the writes a decision left to its caller
// (workflows.DecisionResult.Writes), with the very activities the process
// makes them with after: the API calls it before it answers, so a decision
// is on record when the officer is told.
type DecisionWriter struct {
	acts map[string]any
}

// NewDecisionWriter binds the writer to acts.
func NewDecisionWriter(acts *activities.Activities) *DecisionWriter {
	return &DecisionWriter{acts: Activities(acts)}
}

// Write makes ws in order; the first that fails stops it. Only the
// activities of workflows.CallerWrites are made: a result names them, and
// nothing else may be run this way.
func (d *DecisionWriter) Write(ctx context.Context, ws []records.Write) error {
	for _, w := range ws {
		fn, ok := d.acts[w.Activity]
		if !ok || !workflows.CallerWrites[w.Activity] {
			return fmt.Errorf("a decision's write %q is not one its caller makes", w.Activity)
		}
		// Every such activity is func(ctx, arg) error.
		v := reflect.ValueOf(fn)
		arg := reflect.New(v.Type().In(1))
		if err := json.Unmarshal(w.Arg, arg.Interface()); err != nil {
			return fmt.Errorf("decode %s: %w", w.Activity, err)
		}
		out := v.Call([]reflect.Value{reflect.ValueOf(ctx), arg.Elem()})
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			return fmt.Errorf("%s: %w", w.Activity, err)
		}
	}
	return nil
}
