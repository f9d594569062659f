package api_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kunming-hrss/laborbrand/api"
)

// document is /openapi.json as the routes build it, loaded and validated.
func document(t *testing.T) (*openapi3.T, []byte) {
	t.Helper()
	raw, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3: %v", err)
	}
	return doc, raw
}

// Issue 18: the committed api/openapi.json, which the Go client is
// generated from and Redocly lints, is the document the routes build.
func TestOpenAPI_CommittedDocumentIsCurrent(t *testing.T) {
	_, raw := document(t)
	committed, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, raw) {
		t.Fatal("api/openapi.json is stale: run go generate ./api/client and commit both files")
	}
}

// Issue 18 item 1: every body an operation takes or answers in JSON is a
// named schema, every schema and tag is described, and every operation
// has a tag, a summary, its security and its error answers with codes.
func TestOpenAPI_EveryOperationIsNamedAndDescribed(t *testing.T) {
	doc, _ := document(t)
	tags := map[string]bool{}
	for _, tag := range doc.Tags {
		if tag.Description == "" {
			t.Errorf("tag %s has no description (api/openapi_parts.go tagDocs)", tag.Name)
		}
		tags[tag.Name] = true
	}
	for name, s := range doc.Components.Schemas {
		if s.Value.Description == "" {
			t.Errorf("schema %s has no description (api/openapi_docs.go schemaDocs)", name)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			at := method + " " + path
			if o.Summary == "" || o.OperationID == "" || o.Security == nil {
				t.Errorf("%s: summary %q, operationId %q, security %v", at, o.Summary, o.OperationID, o.Security)
			}
			if len(o.Tags) != 1 || !tags[o.Tags[0]] {
				t.Errorf("%s: tags %v, want one described tag (tagDocs)", at, o.Tags)
			}
			for _, p := range o.Parameters {
				if p.Value.Description == "" {
					t.Errorf("%s: parameter %s has no description (api/openapi_parts.go queryParameter, pathParameters)", at, p.Value.Name)
				}
			}
			if o.RequestBody != nil {
				named(t, at+" request", o.RequestBody.Value.Content)
			}
			errors := 0
			for status, r := range o.Responses.Map() {
				switch {
				case strings.HasPrefix(status, "2"):
					named(t, at+" "+status, r.Value.Content)
				case path == "/readyz" && status == "503": // its own body (TestReadinessDocumentsItsOwnBodyWhenNotReady)
				case strings.HasPrefix(status, "4"), strings.HasPrefix(status, "5"):
					errors++
					codes, _ := r.Value.Extensions["x-error-codes"].([]any)
					ref := r.Value.Content.Get("application/json")
					if len(codes) == 0 || ref == nil || ref.Schema.Ref != "#/components/schemas/ErrorResponse" {
						t.Errorf("%s %s: error answer without codes or ErrorResponse", at, status)
					}
				}
			}
			if errors == 0 {
				t.Errorf("%s documents no error answer", at)
			}
		}
	}
}

// named requires a JSON body to be a reference to a component schema.
func named(t *testing.T, at string, content openapi3.Content) {
	t.Helper()
	if mt := content.Get("application/json"); mt != nil && mt.Schema.Ref == "" && mt.Schema.Value.Type.Is("object") && !strings.HasPrefix(at, "GET /openapi.json") {
		t.Errorf("%s: an inline object schema; answer or take a named Go type", at)
	}
}

// Issue 18 item 1: the vocabularies are enums read from the definitions
// validation uses — a value the API accepts is in the document.
func TestOpenAPI_VocabulariesAreTheValidatorsOwn(t *testing.T) {
	doc, _ := document(t)
	for schema, want := range map[string][]string{
		"CountyDecision":   {"approve", "reject", "return"},
		"CityDecision":     {"approve", "reject"},
		"Stage":            {"county_review", "returned", "city_review", "public_notice", "objection_review", "admitted", "rejected", "withdrawn"},
		"BrandStatus":      {"active", "rectifying", "suspended", "removed"},
		"TaskStage":        {"county_review", "city_review", "public_notice", "objection_review", "active", "suspended"},
		"Category":         {"planting_breeding", "emerging", "other"},
		"FindingReason":    {"late_information", "serious_dishonesty_list", "rectification_measures_inadequate"},
		"RemovalReason":    {"dissolved_or_inactive", "serious_violation", "fraud", "no_longer_eligible"},
		"ActorRole":        {"applicant", "county_officer", "city_officer", "expert", "supervisor", "admin", "public", "system"},
		"AttachmentKind":   {"overview", "picture", "video", "licence", "other"},
		"AnnouncementKind": {"suspension", "renewal", "restoration", "removal"},
	} {
		s := doc.Components.Schemas[schema]
		if s == nil {
			t.Errorf("no schema %s", schema)
			continue
		}
		for _, v := range want {
			found := false
			for _, e := range s.Value.Enum {
				found = found || e == v
			}
			if !found {
				t.Errorf("%s lacks %q: %v", schema, v, s.Value.Enum)
			}
		}
	}
	form := doc.Components.Schemas["ApplicationForm"].Value
	for _, field := range []string{"brand_name", "brand_type", "category", "county_code", "uscc", "commitment"} {
		if !strings.Contains(strings.Join(form.Required, ","), field) {
			t.Errorf("ApplicationForm: %s is not required: %v", field, form.Required)
		}
	}
	if p := form.Properties["direct_employees"].Value; p.Max == nil || *p.Max != 10_000_000 {
		t.Errorf("direct_employees: maximum %v, want form.CountMax", p.Max)
	}
}

// API.md errors: "x-error-codes lists the codes each operation can
// return". Every code the API, the store or a process answers with is
// declared by at least one operation, so a client never meets a code the
// document does not name.
func TestEveryErrorCodeAnsweredIsDeclared(t *testing.T) {
	doc, _ := document(t)
	declared := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, o := range item.Operations() {
			for _, r := range o.Responses.Map() {
				codes, _ := r.Value.Extensions["x-error-codes"].([]any)
				for _, c := range codes {
					declared[c.(string)] = true
				}
			}
		}
	}
	answered := regexp.MustCompile(`Code:\s*"([a-z_]+)"`)
	for _, dir := range []string{".", "../store", "../workflows"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range answered.FindAllSubmatch(src, -1) {
				// internal is never meant to happen; method_not_allowed
				// answers a method no operation has.
				if code := string(m[1]); !declared[code] && code != "internal" && code != "method_not_allowed" {
					t.Errorf("%s answers %q, which no operation declares in x-error-codes", f, code)
				}
			}
		}
	}
}

// API.md: /readyz answers 503 with its own body (ready false, the checks
// saying what is down), and the document says so — not the error body.
func TestReadinessDocumentsItsOwnBodyWhenNotReady(t *testing.T) {
	doc, _ := document(t)
	r := doc.Paths.Find("/readyz").Get.Responses.Status(503)
	if r == nil || r.Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/Ready" {
		t.Errorf("/readyz's 503 is documented as %+v, want the Ready schema", r)
	}
}
