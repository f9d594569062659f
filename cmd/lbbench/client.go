package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kunming-hrss/laborbrand/api/client"
	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
)

// apiClient is the API's generated client, as an outside bureau uses it.
type apiClient = apiclient.Client

// reply is what the report keeps of an answered request.
type reply struct {
	Status int // 0: no answer
	Body   []byte
}

// replyOf is the reply of a generated client's call.
func replyOf[R client.Answer](r R, err error) reply {
	if err != nil {
		return reply{}
	}
	return reply{Status: r.StatusCode(), Body: client.BodyOf(r)}
}

func newAPIClient(base string, secret []byte, concurrency int) *apiClient {
	return apiclient.New(base, secret, concurrency*2)
}

// outcome names a request's failure for the error table ("" for success).
func outcome(r reply, err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return "timeout"
	case err != nil && r.Status == 0:
		return "transport"
	case err != nil:
		return "decode"
	case r.Status/100 != 2:
		return fmt.Sprint(r.Status)
	}
	return ""
}
