package stacktest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kunming-hrss/laborbrand/api"
)

// The contract check: every answer a test reads through Stack.Do is
// validated against /openapi.json — its status must be one the operation
// documents, its body must fit the documented schema (required fields,
// enums, formats). So the tests of the API are also the proof that what
// the generated client (api/client) decodes is what the server sends.

var contract struct {
	once   sync.Once
	router routers.Router
	err    error
}

func contractRouter() (routers.Router, error) {
	contract.once.Do(func() {
		// The documents the API answers besides JSON are checked for their
		// status and media type only.
		for _, mediaType := range []string{"application/atom+xml", "application/pdf", "text/html", "text/javascript", "image/svg+xml",
			"image/png", "image/jpeg", "image/webp", "video/mp4", "video/quicktime", "video/webm", "application/zip", "application/msword",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
			if openapi3filter.RegisteredBodyDecoder(mediaType) == nil {
				openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.FileBodyDecoder)
			}
		}
		raw, err := api.OpenAPIDocument()
		if err != nil {
			contract.err = err
			return
		}
		doc, err := openapi3.NewLoader().LoadFromData(raw)
		if err != nil {
			contract.err = err
			return
		}
		doc.Servers = nil // any host: the test's listener
		contract.router, contract.err = legacy.NewRouter(doc)
	})
	return contract.router, contract.err
}

// checkContract reports an answer to method path that the document does not
// allow; a path the document does not know (a probe of a hostile test) is
// not checked.
func checkContract(method, url string, r Response) error {
	router, err := contractRouter()
	if err != nil {
		return fmt.Errorf("load the document: %w", err)
	}
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		return nil
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return nil
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                opts,
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}
