package api

import (
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"github.com/kunming-hrss/laborbrand/internal/domain/form"
)

// How a Go type becomes a component schema of /openapi.json
// (docs/ARCHITECTURE.md § The contract):
//
//   - every struct that a route takes or answers is a named schema: its Go
//     name with the first letter upper-cased, "…View" without the suffix,
//     "…Body" as "…Request" (countyReviewBody → CountyReviewRequest), unless
//     schemaNames renames it; a second type under a taken name is qualified
//     by its package (ConsoleBrand);
//   - a field is required unless its json tag says omitempty (or omitzero);
//     in a request type, omitempty is how a field says it is optional; a
//     pointer may be null (nullable; a reference is wrapped in allOf);
//   - field tags add the rest: doc:"中文说明", enum:"vocabulary" (a name in
//     vocabularies, read from the Go definition validation uses), format:"date",
//     min/max (numbers) and maxLength (characters);
//   - schemaDocs describes each schema, schemaRules add what a type's own
//     package defines (the 推荐表's bounds).

// schemaNames renames the types whose Go name is not the contract's.
var schemaNames = map[reflect.Type]string{
	reflect.TypeFor[errorBody]():        "ErrorResponse",
	reflect.TypeFor[form.Application](): "ApplicationForm", // API.md "Application form"
}

func defaultSchemaName(t reflect.Type) string {
	n := t.Name()
	if n == "" {
		return ""
	}
	n = strings.ToUpper(n[:1]) + n[1:]
	switch {
	case strings.HasSuffix(n, "View") && len(n) > len("View"):
		n = strings.TrimSuffix(n, "View")
	case strings.HasSuffix(n, "Body") && len(n) > len("Body"):
		n = strings.TrimSuffix(n, "Body") + "Request"
	}
	return n
}

// schemaGenerator makes the component schemas of one document.
type schemaGenerator struct {
	gen     *openapi3gen.Generator
	names   map[string]reflect.Type
	clashes []string
}

func newSchemaGenerator() *schemaGenerator {
	g := &schemaGenerator{names: map[string]reflect.Type{}}
	g.gen = openapi3gen.NewGenerator(
		openapi3gen.CreateComponentSchemas(openapi3gen.ExportComponentSchemasOptions{ExportComponentSchemas: true, ExportTopLevelSchema: true}),
		openapi3gen.CreateTypeNameGenerator(g.name),
		openapi3gen.SchemaCustomizer(customizeSchema),
	)
	return g
}

// name is the schema name of t, remembering it to refuse a second type
// under the same name.
func (g *schemaGenerator) name(t reflect.Type) string {
	n, ok := schemaNames[t]
	if !ok {
		n = defaultSchemaName(t)
	}
	if n == "" {
		return ""
	}
	if other, seen := g.names[n]; seen && other != t {
		// Another package's type took the name first: this one is
		// qualified by its package (console.brandView → ConsoleBrand).
		pkg := path.Base(t.PkgPath())
		n = strings.ToUpper(pkg[:1]) + pkg[1:] + n
		if other, seen := g.names[n]; seen && other != t {
			g.clashes = append(g.clashes, fmt.Sprintf("schema %s names both %s and %s: rename one in schemaNames", n, other, t))
		}
	}
	g.names[n] = t
	return n
}

// ref is the schema of v's type, its structs added to schemas.
func (g *schemaGenerator) ref(v any, schemas openapi3.Schemas) (*openapi3.SchemaRef, error) {
	ref, err := g.gen.NewSchemaRefForValue(v, schemas)
	if err == nil && len(g.clashes) > 0 {
		err = fmt.Errorf("%s", strings.Join(g.clashes, "; "))
	}
	return ref, err
}

var timeType = reflect.TypeFor[time.Time]()

// customizeSchema applies the tags, vocabularies, descriptions and rules
// above to the schema generated for t (a field's type, with the field's tag).
func customizeSchema(_ string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
	if t.Kind() == reflect.Struct && t != timeType {
		if s.Properties != nil {
			s.Required = requiredFields(t, s)
			nullableRefs(t, s)
		}
		name := schemaNames[t]
		if name == "" {
			name = defaultSchemaName(t)
		}
		s.Description = schemaDocs[name]
		if rule := schemaRules[t]; rule != nil {
			rule(s)
		}
		return nil // a field's tag describes the field, not the shared schema
	}
	if t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Interface {
		yes := true // any JSON value, null included
		s.AdditionalProperties = openapi3.AdditionalProperties{Has: &yes}
	}
	if d := tag.Get("doc"); d != "" {
		s.Description = d
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		if raw := tag.Get("maxItems"); raw != "" && t.Kind() == reflect.Slice {
			n, err := strconv.ParseUint(raw, 10, 64)
			if err != nil {
				return fmt.Errorf("tag maxItems:%q: %w", raw, err)
			}
			s.MaxItems = &n
		}
		return nil // the element got the tag's enum and format
	}
	vocabulary := tag.Get("enum")
	if vocabulary == "" {
		vocabulary = typeVocabularies[t]
	}
	if vocabulary != "" {
		v, ok := vocabularies[vocabulary]
		if !ok {
			return fmt.Errorf("enum:%q names no vocabulary (api/vocabulary.go)", vocabulary)
		}
		s.Enum = v.enum()
		s.Extensions = map[string]any{vocabularyExtension: vocabulary} // useVocabularySchemas makes it a $ref
	}
	if f := tag.Get("format"); f != "" {
		s.Format = f
	}
	for _, b := range []struct {
		name string
		set  func(float64)
	}{
		{"min", func(v float64) { s.Min = &v }},
		{"max", func(v float64) { s.Max = &v }},
		{"maxLength", func(v float64) { s.MaxLength = openapi3.Uint64Ptr(uint64(v)) }},
	} {
		if raw := tag.Get(b.name); raw != "" {
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return fmt.Errorf("tag %s:%q: %w", b.name, raw, err)
			}
			b.set(v)
		}
	}
	return nil
}

// nullableRefs lets each property that points to a struct be null: OpenAPI
// 3.0 cannot mark a reference nullable, so the reference is wrapped
// ({"type": "object", "nullable": true, "allOf": [{"$ref": …}]}).
func nullableRefs(t reflect.Type, s *openapi3.Schema) {
	for _, f := range reflect.VisibleFields(t) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct || f.Type.Elem() == timeType {
			continue
		}
		if p := s.Properties[name]; p != nil && p.Ref != "" {
			s.Properties[name] = &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{"object"}, Nullable: true, AllOf: openapi3.SchemaRefs{p}}}
		}
	}
}

// requiredFields are the properties of t always present (null, for a
// pointer): json without omitempty/omitzero.
func requiredFields(t reflect.Type, s *openapi3.Schema) []string {
	var required []string
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Tag.Get("json") == "") {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool { return o == "omitempty" || o == "omitzero" })
		if _, ok := s.Properties[name]; ok && !optional && !slices.Contains(required, name) {
			required = append(required, name)
		}
	}
	return required
}

// vocabularyExtension marks an inline enum for useVocabularySchemas.
const vocabularyExtension = "x-vocabulary"

func (v vocabulary) enum() []any {
	out := make([]any, len(v.values))
	for i, value := range v.values {
		out[i] = value
	}
	return out
}

func (v vocabulary) schemaValue() *openapi3.Schema {
	s := openapi3.NewStringSchema()
	s.Description, s.Enum = v.doc, v.enum()
	return s
}

// vocabularyRef is a reference to the vocabulary's schema, which it adds
// to schemas: one Go type per vocabulary in a generated client, wherever
// the values appear.
func vocabularyRef(name string, schemas openapi3.Schemas) *openapi3.SchemaRef {
	v := vocabularies[name]
	schemas[v.schema] = v.schemaValue().NewRef()
	return openapi3.NewSchemaRef("#/components/schemas/"+v.schema, nil)
}

// useVocabularySchemas replaces each property's inline enum by a reference
// to its vocabulary's schema. A nullable property keeps its inline enum:
// OpenAPI 3.0 cannot say "this schema, or null" of a reference.
func useVocabularySchemas(schemas openapi3.Schemas) {
	var visit func(ref *openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || ref.Ref != "" {
			return
		}
		s := ref.Value
		if name, ok := s.Extensions[vocabularyExtension].(string); ok {
			delete(s.Extensions, vocabularyExtension)
			if !s.Nullable {
				*ref = *vocabularyRef(name, schemas)
			}
			return
		}
		for _, p := range s.Properties {
			visit(p)
		}
		visit(s.Items)
		visit(s.AdditionalProperties.Schema)
	}
	for _, name := range slices.Sorted(maps.Keys(schemas)) {
		visit(schemas[name])
	}
}
