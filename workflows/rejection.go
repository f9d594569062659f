package workflows

import "go.temporal.io/sdk/temporal"

// Error types of a refused Update; the API maps them to 409, 403 and 422.
const (
	RejectConflict  = "Conflict"  // not allowed in the current stage or status
	RejectForbidden = "Forbidden" // this caller may not take this action
	RejectInvalid   = "Invalid"   // the request's content is wrong
)

// IsRejection reports whether err is a refused Update's: the process's
// answer, not a failure to hear it.
func IsRejection(err *temporal.ApplicationError) bool {
	switch err.Type() {
	case RejectConflict, RejectForbidden, RejectInvalid:
		return true
	}
	return false
}

// Rejection explains a refused Update to the caller. It carries only codes,
// stages and Chinese messages, never personal data.
type Rejection struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Details map[string]any  `json:"details,omitempty"`
	Fields  []RejectedField `json:"fields,omitempty"`
}

// RejectedField names one invalid field of an Update's argument.
type RejectedField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func reject(errType string, r Rejection) error {
	return temporal.NewApplicationErrorWithOptions(r.Message, errType, temporal.ApplicationErrorOptions{
		NonRetryable: true, Details: []any{r},
	})
}

// conflict refuses an action the current stage does not allow (409).
func conflict(message, key, current string) error {
	return reject(RejectConflict, Rejection{Code: "conflict", Message: message, Details: map[string]any{key: current}})
}

// forbidden refuses a caller who may not take the action (403).
func forbidden(message string) error {
	return reject(RejectForbidden, Rejection{Code: "forbidden", Message: message})
}

// invalid refuses an argument with field-level messages (422).
func invalid(message string, fields ...RejectedField) error {
	return reject(RejectInvalid, Rejection{Code: "validation_failed", Message: message, Fields: fields})
}
