package client

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
)

// This file is written by hand: the few things every caller of the
// generated client needs — a bearer token, an idempotency key, and an
// answer checked against the statuses the caller expects.

// Bearer sends token as the request's bearer token (API.md auth).
func Bearer(token string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return nil
	}
}

// IdempotencyKey sends key as the request's Idempotency-Key: a retry with
// the same key and body gets the first answer and changes nothing.
func IdempotencyKey(key string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Idempotency-Key", key)
		return nil
	}
}

// Answer is what every generated response is: a status and the raw body.
type Answer interface {
	StatusCode() int
}

// StatusError is an answer with a status the caller did not expect.
type StatusError struct {
	Status int
	Body   []byte
}

func (e *StatusError) Error() string {
	body := e.Body
	if len(body) > 400 {
		body = body[:400]
	}
	return fmt.Sprintf("status %d: %s", e.Status, body)
}

// Expect returns r when the call succeeded with one of the wanted statuses
// (any 2xx when none is given), else the call's error or a *StatusError.
func Expect[R Answer](r R, err error, want ...int) (R, error) {
	if err != nil {
		return r, err
	}
	status := r.StatusCode()
	if slices.Contains(want, status) || (len(want) == 0 && status/100 == 2) {
		return r, nil
	}
	return r, &StatusError{Status: status, Body: BodyOf(r)}
}

// BodyOf is the raw body of a generated response.
func BodyOf(r Answer) []byte {
	v := reflect.ValueOf(r)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if f := v.Elem().FieldByName("Body"); f.IsValid() && f.Kind() == reflect.Slice {
			return f.Bytes()
		}
	}
	return nil
}
