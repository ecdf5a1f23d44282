package trends

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors; errors the client returns match them with errors.Is.
var (
	// ErrRateLimited means Google answered 429 on every try.
	ErrRateLimited = errors.New("trends: rate limited")
	// ErrServer means Google answered 5xx on every try.
	ErrServer = errors.New("trends: server error")
	// ErrTimeout means a call took longer than Config.Timeout.
	ErrTimeout = errors.New("trends: request timed out")
	// ErrNetwork means a call failed below HTTP.
	ErrNetwork = errors.New("trends: network error")
	// ErrTokenRejected means widgetdata refused the widget token (HTTP 401
	// or 403). Retried: each try fetches a fresh token.
	ErrTokenRejected = errors.New("trends: widget token rejected")
	// ErrBadRequest means the request was refused as malformed (HTTP 400)
	// or failed validation before it was sent. Fatal.
	ErrBadRequest = errors.New("trends: bad request")
	// ErrShape means an answer could not be understood. Fatal for that
	// request: quarantine the body (ShapeError.Body) and alert.
	ErrShape = errors.New("trends: response shape not understood")
)

// ShapeError is an answer whose shape could not be understood.
type ShapeError struct {
	// Endpoint is "explore" or "multiline".
	Endpoint string
	// Reason says what was missing or unreadable.
	Reason string
	// Body is the raw body, for quarantine.
	Body []byte
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("trends: %s response shape not understood: %s", e.Endpoint, e.Reason)
}

// Is matches ErrShape.
func (e *ShapeError) Is(target error) bool { return target == ErrShape }

func shapeErr(endpoint string, body []byte, format string, args ...any) *ShapeError {
	return &ShapeError{Endpoint: endpoint, Reason: fmt.Sprintf(format, args...), Body: body}
}

// APIError is a non-2xx answer.
type APIError struct {
	Endpoint   string
	Status     int
	Message    string        // start of the body
	RetryAfter time.Duration // from Retry-After, 0 when absent
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trends %s: HTTP %d", e.Endpoint, e.Status)
	if k := e.kind(); k != nil {
		fmt.Fprintf(&b, " (%s)", strings.TrimPrefix(k.Error(), "trends: "))
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Is reports whether target is the sentinel the status maps to.
func (e *APIError) Is(target error) bool {
	k := e.kind()
	return k != nil && k == target
}

func (e *APIError) kind() error {
	switch {
	case e.Status == 429:
		return ErrRateLimited
	case e.Status == 401 || e.Status == 403:
		return ErrTokenRejected
	case e.Status == 400:
		return ErrBadRequest
	case e.Status == 408:
		return ErrTimeout
	case e.Status >= 500 && e.Status <= 599:
		return ErrServer
	}
	return nil
}

// Retryable reports whether err is worth another try.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrShape) || errors.Is(err, ErrBadRequest) {
		return false
	}
	for _, t := range []error{ErrRateLimited, ErrServer, ErrTimeout, ErrNetwork, ErrTokenRejected} {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
