package trends

import (
	"fmt"

	"jobpulse/pkg/apicall"
)

// ErrTokenRejected means widgetdata refused the widget token (HTTP 401 or
// 403). Retried: each try fetches a fresh token. The other failures match
// the sentinels of package apicall (an answer not understood is an
// *apicall.ShapeError).
var ErrTokenRejected = apicall.Transient("trends: widget token rejected")

// classify maps a failure answer to ErrTokenRejected, or to nil for the
// status classes of apicall.
func classify(e *apicall.APIError) error {
	if e.Status == 401 || e.Status == 403 {
		return ErrTokenRejected
	}
	return nil
}

func shapeErr(endpoint string, body []byte, format string, args ...any) *apicall.ShapeError {
	return &apicall.ShapeError{Op: endpoint, Reason: fmt.Sprintf(format, args...), Body: body}
}
