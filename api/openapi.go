package api

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// openAPI builds the OpenAPI 3 document from the routes as they are
// registered, so the document cannot drift from the router.
type openAPI struct {
	doc *openapi3.T
	gen *openapi3gen.Generator
}

func newOpenAPI() *openAPI {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:       "laborbrand — 昆明市市级劳务品牌项目库",
			Version:     "v1",
			Description: "Applications, reviews, public notices and the dynamic management of admitted labor brands (API.md).",
		},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme()},
			},
		},
	}
	gen := openapi3gen.NewGenerator() // schemas inline: no name clashes between packages' types
	return &openAPI{doc: doc, gen: gen}
}

// op describes one route for the router and the document.
type op struct {
	Method  string
	Path    string // OpenAPI style: /api/v1/applications/{id}
	Summary string
	Roles   []auth.Role // nil with Public false: any authenticated caller
	Public  bool        // no token
	Body    any         // request body example value (JSON), nil for none
	Form    bool        // multipart/form-data body
	Status  int         // success status
	Result  any         // response example value, nil for none
	Query   []string    // query parameters
	Notes   string      // more of the contract, appended to the description
	// OwnState marks a write that changes only the caller's own bookkeeping
	// (an inbox message read), not a record of the scheme: the one write a
	// route may leave open to every role, supervisors included.
	OwnState bool
}

// supervisorsOnlyLook is RULES §6: a supervisor watches and writes nothing.
// A route that would let one write is a programming error, refused when
// the routes are registered.
func supervisorsOnlyLook(o op) error {
	if o.Public || o.OwnState || (o.Method != http.MethodPost && o.Method != http.MethodPut && o.Method != http.MethodPatch) {
		return nil
	}
	if len(o.Roles) == 0 || slices.Contains(o.Roles, auth.Supervisor) {
		return fmt.Errorf("%s %s admits supervisors, who write nothing (RULES §6): name its roles", o.Method, o.Path)
	}
	return nil
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// ginPath converts /a/{id} to gin's /a/:id.
func ginPath(p string) string { return pathParam.ReplaceAllString(p, ":$1") }

// handle registers h for o and documents it.
func (s *Server) handle(r gin.IRoutes, o op, h ...gin.HandlerFunc) {
	if err := supervisorsOnlyLook(o); err != nil {
		panic(err) // a programming error, caught by every test that builds the handler
	}
	chain := []gin.HandlerFunc{}
	if !o.Public {
		chain = append(chain, s.authenticate(o.Roles...))
	}
	if o.Method == http.MethodPost || o.Method == http.MethodPut {
		chain = append(chain, s.idempotent())
	}
	if o.Form {
		chain = append(chain, s.cleanMultipart())
	}
	chain = append(chain, h...)
	r.Handle(o.Method, ginPath(o.Path), chain...)
	if err := s.spec.add(o); err != nil {
		panic(fmt.Sprintf("document %s %s: %v", o.Method, o.Path, err)) // a programming error, caught by tests
	}
}

func (a *openAPI) schema(v any) (*openapi3.SchemaRef, error) {
	return a.gen.NewSchemaRefForValue(v, a.doc.Components.Schemas)
}

func (a *openAPI) add(o op) error {
	operation := openapi3.NewOperation()
	operation.Summary = o.Summary
	operation.OperationID = strings.ToLower(o.Method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(o.Path)
	if !o.Public {
		operation.Security = &openapi3.SecurityRequirements{{"bearer": []string{}}}
		if len(o.Roles) > 0 {
			var names []string
			for _, r := range o.Roles {
				names = append(names, string(r))
			}
			operation.Description = "Roles: " + strings.Join(names, ", ")
		}
	}
	if o.Notes != "" {
		operation.Description = strings.TrimSpace(operation.Description + "\n\n" + o.Notes)
	}
	for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
		operation.AddParameter(openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema()))
	}
	for _, q := range o.Query {
		operation.AddParameter(openapi3.NewQueryParameter(q).WithSchema(openapi3.NewStringSchema()))
	}
	if o.Method == http.MethodPost || o.Method == http.MethodPut {
		operation.AddParameter(openapi3.NewHeaderParameter(IdempotencyHeader).WithSchema(openapi3.NewStringSchema()))
	}
	switch {
	case o.Form:
		operation.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithFormDataSchema(openapi3.NewObjectSchema().
				WithProperty("file", openapi3.NewStringSchema().WithFormat("binary")).
				WithProperty("kind", openapi3.NewStringSchema()))}
	case o.Body != nil:
		ref, err := a.schema(o.Body)
		if err != nil {
			return err
		}
		operation.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(ref)}
	}
	status := o.Status
	if status == 0 {
		status = http.StatusOK
	}
	resp := openapi3.NewResponse().WithDescription(http.StatusText(status))
	if o.Result != nil {
		ref, err := a.schema(o.Result)
		if err != nil {
			return err
		}
		resp = resp.WithJSONSchemaRef(ref)
	}
	operation.AddResponse(status, resp)
	errRef, err := a.schema(errorBody{Error: &Error{}})
	if err != nil {
		return err
	}
	operation.AddResponse(0, openapi3.NewResponse().WithDescription("error (API.md conventions)").WithJSONSchemaRef(errRef))
	a.doc.AddOperation(o.Path, o.Method, operation)
	return nil
}

// serveOpenAPI answers GET /openapi.json.
func (s *Server) serveOpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, s.spec.doc)
}
