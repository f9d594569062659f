package api_test

import (
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var updateContract = flag.Bool("update-contract", false, "rewrite api/testdata/contract.json from the document (after a compatible change)")

// contract is the names clients of /api/v1 depend on (docs/API.md
// Versioning): each operation's method, path, operationId and parameters,
// each schema's properties, each vocabulary's values.
type contract struct {
	Operations map[string]string   `json:"operations"` // "GET /api/v1/brands" → operationId
	Parameters map[string][]string `json:"parameters"` // "GET /api/v1/brands" → parameter names
	Schemas    map[string][]string `json:"schemas"`    // schema → property names
	Enums      map[string][]string `json:"enums"`      // schema → values
}

func contractOf(doc *openapi3.T) contract {
	c := contract{Operations: map[string]string{}, Parameters: map[string][]string{}, Schemas: map[string][]string{}, Enums: map[string][]string{}}
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			key := method + " " + path
			c.Operations[key] = o.OperationID
			for _, p := range o.Parameters {
				c.Parameters[key] = append(c.Parameters[key], p.Value.In+":"+p.Value.Name)
			}
			slices.Sort(c.Parameters[key])
		}
	}
	for name, s := range doc.Components.Schemas {
		for property := range s.Value.Properties {
			c.Schemas[name] = append(c.Schemas[name], property)
		}
		slices.Sort(c.Schemas[name])
		for _, v := range s.Value.Enum {
			c.Enums[name] = append(c.Enums[name], v.(string))
		}
	}
	return c
}

// Issue 18 item 5 (docs/API.md Versioning): nothing a client of /api/v1
// depends on disappears — every operation, parameter, schema property and
// vocabulary value of the committed contract is still in the document.
// Additions are compatible; after one, -update-contract records them.
func TestContract_NothingClientsDependOnDisappears(t *testing.T) {
	doc, _ := document(t)
	now := contractOf(doc)
	const file = "testdata/contract.json"
	if *updateContract {
		raw, err := json.MarshalIndent(now, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var was contract
	if err := json.Unmarshal(raw, &was); err != nil {
		t.Fatal(err)
	}
	const breaking = "a breaking change of /api/v1 (docs/API.md Versioning: add /api/v2 instead)"
	for op, id := range was.Operations {
		if got, ok := now.Operations[op]; !ok {
			t.Errorf("operation %s is gone: %s", op, breaking)
		} else if got != id {
			t.Errorf("operation %s: operationId %s became %s (the generated client's method): %s", op, id, got, breaking)
		}
	}
	missing := func(what string, was, now map[string][]string) {
		for name, values := range was {
			for _, v := range values {
				if !slices.Contains(now[name], v) {
					t.Errorf("%s %s lost %q: %s", what, name, v, breaking)
				}
			}
		}
	}
	missing("parameters of", was.Parameters, now.Parameters)
	missing("schema", was.Schemas, now.Schemas)
	missing("vocabulary", was.Enums, now.Enums)
	for name := range was.Schemas {
		if _, ok := now.Schemas[name]; !ok {
			t.Errorf("schema %s is gone: %s", name, breaking)
		}
	}
}
