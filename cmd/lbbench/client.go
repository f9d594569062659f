package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kunming-hrss/laborbrand/internal/dev/apiclient"
)

// apiClient calls laborbrand's HTTP API as an outside client does.
type apiClient = apiclient.Client

// reply is an answered request.
type reply = apiclient.Reply

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
