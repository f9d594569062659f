package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/kunming-hrss/laborbrand/internal/platform/auth"
)

// openAPI builds the OpenAPI 3 document from the routes as they are
// registered, so the document cannot drift from the router.
type openAPI struct {
	doc     *openapi3.T
	schemas *schemaGenerator
	ids     map[string]bool
}

func newOpenAPI(baseURL string) *openAPI {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "昆明市市级劳务品牌项目库 API",
			Version: "v1",
			Description: "劳务品牌的申报、初审、复审、公示与入库后的动态管理（第十条–第十五条）。" +
				"错误一律以 ErrorResponse 作答：code 为英文代码，message 为中文说明，fields 逐项指出有误的字段。" +
				"兼容性与版本规则见 docs/API.md《版本》。",
		},
		Servers: openapi3.Servers{{URL: baseURL, Description: "本部署（LB_PUBLIC_URL）"}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"bearer": &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().
					WithDescription("HS256 签名的 JWT：sub、role（角色）、county（县级）、uscc（申报单位）、iat、exp。")},
			},
		},
		Security: openapi3.SecurityRequirements{{"bearer": []string{}}},
		Tags:     apiTags(),
	}
	return &openAPI{doc: doc, schemas: newSchemaGenerator(), ids: map[string]bool{}}
}

// op describes one route for the router and the document.
type op struct {
	Method  string
	Path    string // OpenAPI style: /api/v1/applications/{id}
	Summary string
	Roles   []auth.Role // nil with Public false: any authenticated caller
	Public  bool        // no token
	Body    any         // request body example value (JSON), nil for none
	Form    bool        // multipart/form-data body: an attachment, unless Upload says otherwise
	// Upload describes a multipart body other than an attachment.
	Upload *openapi3.RequestBody
	Status int      // success status
	Result any      // response example value, nil for none
	Query  []string // query parameters (queryParameter describes each)
	Notes  string   // more of the contract, appended to the description
	// Filing names a public filing's kind ("objection", "report"): its
	// client's rate limit is the first thing the request meets, before its
	// body is read or its Idempotency-Key stored (publicClientLimit).
	Filing string
	// OwnState marks a write that changes only the caller's own bookkeeping
	// (an inbox message read), not a record of the scheme: the one write a
	// route may leave open to every role, supervisors included.
	OwnState bool
	// ID names the operation, and so the generated client's method; ""
	// takes the handler's name (countyReview).
	ID string
	// Tag groups the operation in the reference; "" takes it from the path.
	Tag string
	// Codes are error codes it answers beyond the ones its roles,
	// parameters and body imply, by status: {409: {"wrong_step"}}.
	Codes map[int][]string
	// AlsoStatus is a status answered with the success answer's body
	// (/readyz's 503, its checks saying what is down), not an error body.
	AlsoStatus int
	// Produces is the media type of a success answer that is not JSON.
	Produces string
	// Merges marks a public filing: the same content again within the
	// window is answered 200 with the first receipt (RULES §3).
	Merges bool
}

// supervisorsOnlyLook is RULES §6: a supervisor watches and writes nothing.
// A route that would let one write is a programming error, refused when
// the routes are registered.
func supervisorsOnlyLook(o op) error {
	if o.Public || o.OwnState || (o.Method != http.MethodPost && o.Method != http.MethodPut && o.Method != http.MethodPatch && o.Method != http.MethodDelete) {
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
	if o.Filing != "" {
		chain = append(chain, s.publicClientLimit(o.Filing))
	}
	if o.Method == http.MethodPost || o.Method == http.MethodPut {
		chain = append(chain, s.spoolRoom(), s.idempotent())
	}
	if o.Form {
		chain = append(chain, s.cleanMultipart())
	}
	chain = append(chain, h...)
	r.Handle(o.Method, ginPath(o.Path), chain...)
	if o.ID == "" {
		o.ID = handlerName(h[len(h)-1])
	}
	if err := s.spec.add(o); err != nil {
		panic(fmt.Sprintf("document %s %s: %v", o.Method, o.Path, err)) // a programming error, caught by tests
	}
}

// handlerName is the name of a Server method (countyReview), "" for a
// closure.
func handlerName(h gin.HandlerFunc) string {
	full := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
	name := strings.TrimSuffix(full[strings.LastIndex(full, ".")+1:], "-fm")
	if strings.HasPrefix(name, "func") || name == "" || !unicode.IsLower(rune(name[0])) {
		return ""
	}
	return name
}

// pathOperationID names an operation after its method and path:
// GET /api/v1/public/notices → getPublicNotices.
func pathOperationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, word := range strings.FieldsFunc(strings.TrimPrefix(path, "/api/v1"), func(r rune) bool {
		return r == '/' || r == '-' || r == '_' || r == '.' || r == '{' || r == '}'
	}) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String()
}

func (a *openAPI) schema(v any) (*openapi3.SchemaRef, error) {
	return a.schemas.ref(v, a.doc.Components.Schemas)
}

func (a *openAPI) add(o op) error {
	operation := openapi3.NewOperation()
	operation.Summary = o.Summary
	operation.OperationID = o.ID
	if operation.OperationID == "" || a.ids[operation.OperationID] {
		operation.OperationID = pathOperationID(o.Method, o.Path)
	}
	if a.ids[operation.OperationID] {
		return fmt.Errorf("operationId %s is taken: set op.ID", operation.OperationID)
	}
	a.ids[operation.OperationID] = true
	operation.Tags = []string{o.Tag}
	if o.Tag == "" {
		operation.Tags = []string{pathTag(o.Path)}
	}
	operation.Security = &openapi3.SecurityRequirements{{"bearer": []string{}}}
	if o.Public {
		operation.Security = &openapi3.SecurityRequirements{} // none: no token
	} else if len(o.Roles) > 0 {
		var names []string
		for _, r := range o.Roles {
			names = append(names, string(r))
		}
		operation.Description = "Roles: " + strings.Join(names, ", ") // the roles admitted (Role)
		operation.Extensions = map[string]any{"x-roles": names}
	}
	if o.Notes != "" {
		operation.Description = strings.TrimSpace(operation.Description + "\n\n" + o.Notes)
	}
	for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
		operation.AddParameter(pathParameter(m[1]))
	}
	for _, q := range o.Query {
		p, err := queryParameter(o.Path, q, a.doc.Components.Schemas)
		if err != nil {
			return err
		}
		operation.AddParameter(p)
	}
	if o.Method == http.MethodPost || o.Method == http.MethodPut {
		operation.AddParameter(idempotencyParameter())
	}
	switch {
	case o.Form:
		body := o.Upload
		if body == nil {
			body = uploadBody(a.doc.Components.Schemas)
		}
		operation.RequestBody = &openapi3.RequestBodyRef{Value: body}
	case o.Body != nil:
		ref, err := a.schema(o.Body)
		if err != nil {
			return err
		}
		operation.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithDescription("JSON；未知字段一律拒绝（422）。").WithJSONSchemaRef(ref)}
	}
	status := o.Status
	if status == 0 {
		status = http.StatusOK
	}
	resp := openapi3.NewResponse().WithDescription(successDescription(status))
	switch {
	case o.Produces != "":
		resp.Content = openapi3.NewContentWithSchema(producedSchema(o.Produces), []string{o.Produces})
	case o.Result != nil:
		ref, err := a.schema(o.Result)
		if err != nil {
			return err
		}
		resp = resp.WithJSONSchemaRef(ref)
	}
	operation.AddResponse(status, resp)
	if o.AlsoStatus != 0 {
		also := *resp
		also.Description = openapi3.Ptr("暂不可用：答复内容同上，checks 说明哪一项不可用")
		operation.AddResponse(o.AlsoStatus, &also)
	}
	if o.Merges {
		merged := *resp
		merged.Description = openapi3.Ptr("相同内容当天已提交过（Duplicate-Of-Earlier: true）：答复第一次的回执，不再保存")
		operation.AddResponse(http.StatusOK, &merged)
	}
	errRef, err := a.schema(errorBody{})
	if err != nil {
		return err
	}
	for _, e := range errorAnswers(o) {
		if e.status != o.AlsoStatus {
			operation.AddResponse(e.status, e.response(errRef))
		}
	}
	useVocabularySchemas(a.doc.Components.Schemas)
	a.doc.AddOperation(o.Path, o.Method, operation)
	return nil
}

// document is the indented JSON of the document.
func (a *openAPI) document() ([]byte, error) { return json.MarshalIndent(a.doc, "", "  ") }

// serveOpenAPI answers GET /openapi.json.
func (s *Server) serveOpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, s.spec.doc)
}

// OpenAPIDocument is the document GET /openapi.json serves, built from the
// routes without a database or Temporal (the routes are registered, not
// called), indented for a file under version control (api/openapi.json).
func OpenAPIDocument() ([]byte, error) {
	s := &Server{Config: DefaultConfig}
	s.Handler()
	return s.spec.document()
}
