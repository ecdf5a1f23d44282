package saramin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every error the client returns for one of these causes
// matches it with errors.Is; Retryable tells which of them are worth another
// try.
var (
	// ErrInvalidKey means the access key was refused (API code 1, HTTP 401
	// or 403). Fatal: retrying cannot help.
	ErrInvalidKey = errors.New("saramin: invalid access key")
	// ErrQuotaExceeded means the key's daily call quota is spent (API code 2
	// or a message about the daily limit). Not retried: stop now and resume
	// on the next run.
	ErrQuotaExceeded = errors.New("saramin: daily quota exceeded")
	// ErrBadParameter means the request was malformed (API code 3, HTTP 400,
	// or a Query that failed validation). Fatal.
	ErrBadParameter = errors.New("saramin: bad parameter")
	// ErrRateLimited means the API asked to slow down (HTTP 429 without the
	// quota code). Retried, honouring Retry-After.
	ErrRateLimited = errors.New("saramin: rate limited")
	// ErrServer means the API failed on its side (HTTP 5xx). Retried.
	ErrServer = errors.New("saramin: server error")
	// ErrTruncated means the answer body was cut short or was not valid
	// JSON. Retried.
	ErrTruncated = errors.New("saramin: truncated or invalid response body")
	// ErrTimeout means one call took longer than Config.Timeout (or the
	// server answered 408). Retried.
	ErrTimeout = errors.New("saramin: request timed out")
	// ErrNetwork means the call failed below HTTP: connection refused or
	// reset, DNS failure and the like. Retried.
	ErrNetwork = errors.New("saramin: network error")
)

// APIError is a failure the API reported: a non-2xx status, or an error
// body {"code": N, "message": "..."} (the code may be a number or a string,
// and may come with status 200). It matches, with errors.Is, the sentinel
// its status, code and message map to.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the API's error code as text ("" when the body had none).
	Code string
	// Message is the API's error message, or the start of a non-JSON body.
	// Any access key it echoed is redacted.
	Message string
	// RetryAfter is the delay the Retry-After header asked for (0 when
	// absent).
	RetryAfter time.Duration
}

// Error describes the failure with its status, code and message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("saramin api error")
	if k := e.kind(); k != nil {
		b.WriteString(" (")
		b.WriteString(strings.TrimPrefix(k.Error(), "saramin: "))
		b.WriteString(")")
	}
	fmt.Fprintf(&b, ": HTTP %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, ", code %q", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Is reports whether target is the sentinel this error maps to.
func (e *APIError) Is(target error) bool {
	k := e.kind()
	return k != nil && k == target
}

// kind maps the error to a sentinel. The API's code wins over the HTTP
// status; a message about the daily limit means the quota whatever the
// status. It returns nil for failures with no sentinel (an unknown 4xx).
func (e *APIError) kind() error {
	if n, err := strconv.Atoi(strings.TrimSpace(e.Code)); err == nil {
		switch n {
		case 1:
			return ErrInvalidKey
		case 2:
			return ErrQuotaExceeded
		case 3:
			return ErrBadParameter
		}
	}
	if aboutDailyLimit(e.Message) {
		return ErrQuotaExceeded
	}
	switch {
	case e.Status == 401 || e.Status == 403:
		return ErrInvalidKey
	case e.Status == 429:
		return ErrRateLimited
	case e.Status == 400:
		return ErrBadParameter
	case e.Status == 408:
		return ErrTimeout
	case e.Status >= 500 && e.Status <= 599:
		return ErrServer
	}
	return nil
}

// aboutDailyLimit reports whether an error message speaks of the daily call
// limit (in English or Korean).
func aboutDailyLimit(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range []string{"daily", "quota", "per day", "일일", "하루", "한도"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// Retryable reports whether err is worth another try: rate limiting, server
// errors, truncated bodies, timeouts and network failures. Invalid key,
// quota exhausted, bad parameters, a cancelled context and anything
// unrecognised are not.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	for _, fatal := range []error{ErrInvalidKey, ErrQuotaExceeded, ErrBadParameter, context.Canceled} {
		if errors.Is(err, fatal) {
			return false
		}
	}
	for _, transient := range []error{ErrRateLimited, ErrServer, ErrTruncated, ErrTimeout, ErrNetwork} {
		if errors.Is(err, transient) {
			return true
		}
	}
	return false
}
