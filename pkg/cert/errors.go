package cert

import (
	"context"
	"errors"
	"fmt"
)

// Sentinel errors; errors the client returns match them with errors.Is.
var (
	ErrBadParameter     = errors.New("cert: invalid request parameter")     // result codes 10, 11
	ErrNoService        = errors.New("cert: no such open API service")      // 12
	ErrAccessDenied     = errors.New("cert: service access denied")         // 20, 21, 32, 33
	ErrQuotaExceeded    = errors.New("cert: daily request limit exceeded")  // 22
	ErrKeyNotRegistered = errors.New("cert: service key not registered")    // 30
	ErrKeyExpired       = errors.New("cert: service key expired")           // 31
	ErrServer           = errors.New("cert: server error")                  // 01, 02, 04, 05, 99, HTTP 5xx
	ErrTimeout          = errors.New("cert: request timed out")             // no answer within Config.Timeout
	ErrNetwork          = errors.New("cert: network error")                 // failed below HTTP
	ErrShape            = errors.New("cert: response shape not understood") // malformed XML, non-numeric counts
	ErrHTTP             = errors.New("cert: unexpected HTTP status")        // other non-2xx
)

// ResultError is an answer whose resultCode (or gateway returnReasonCode)
// is not "00" (normal) or "03" (no data).
type ResultError struct {
	Op   string // e.g. "getEventYearPiList"
	Code string // "22"
	Msg  string // resultMsg / returnAuthMsg, e.g. LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR
}

func (e *ResultError) Error() string {
	return fmt.Sprintf("cert %s: result code %s: %s", e.Op, e.Code, e.Msg)
}

// Is maps the result code to its sentinel.
func (e *ResultError) Is(target error) bool { k := codeKind(e.Code); return k != nil && k == target }

// The codes of the data.go.kr gateway, as listed on portal API pages
// (copied in florescene.tistory.com/192; service 15089332 on data.go.kr).
func codeKind(code string) error {
	switch code {
	case "10", "11":
		return ErrBadParameter
	case "12":
		return ErrNoService
	case "20", "21", "32", "33":
		return ErrAccessDenied
	case "22":
		return ErrQuotaExceeded
	case "30":
		return ErrKeyNotRegistered
	case "31":
		return ErrKeyExpired
	case "01", "02", "04", "05", "99":
		return ErrServer
	}
	return nil
}

// ShapeError is an answer that could not be understood.
type ShapeError struct {
	Op     string
	Reason string
	Body   []byte // start of the raw body, for quarantine
}

func (e *ShapeError) Error() string { return fmt.Sprintf("cert %s: %s", e.Op, e.Reason) }

// Is matches ErrShape.
func (e *ShapeError) Is(target error) bool { return target == ErrShape }

// HTTPError is a non-2xx answer that carried no result code.
type HTTPError struct {
	Op     string
	Status int
}

func (e *HTTPError) Error() string { return fmt.Sprintf("cert %s: HTTP %d", e.Op, e.Status) }

// Is maps 5xx to ErrServer and the rest to ErrHTTP.
func (e *HTTPError) Is(target error) bool {
	if e.Status >= 500 {
		return target == ErrServer
	}
	return target == ErrHTTP
}

// Retryable reports whether err is worth another try: server errors,
// timeouts and network failures. The quota (22) is not: it resets daily.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	return errors.Is(err, ErrServer) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrNetwork)
}
