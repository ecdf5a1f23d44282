package saramin

import (
	"strconv"
	"strings"

	"jobpulse/pkg/apicall"
)

// ErrInvalidKey means the access key was refused (API code 1, HTTP 401 or
// 403). Fatal: retrying cannot help. The other failures match the
// sentinels of package apicall: code 2 or a message about the daily limit
// is apicall.ErrQuotaExceeded, code 3 apicall.ErrBadRequest.
var ErrInvalidKey = apicall.Fatal("saramin: invalid access key")

// classify maps a failure answer to its sentinel. The API's code wins over
// the HTTP status; a message about the daily limit means the quota
// whatever the status. nil leaves the status classes of apicall.
func classify(e *apicall.APIError) error {
	if n, err := strconv.Atoi(strings.TrimSpace(e.Code)); err == nil {
		switch n {
		case 1:
			return ErrInvalidKey
		case 2:
			return apicall.ErrQuotaExceeded
		case 3:
			return apicall.ErrBadRequest
		}
	}
	if aboutDailyLimit(e.Message) {
		return apicall.ErrQuotaExceeded
	}
	if e.Status == 401 || e.Status == 403 {
		return ErrInvalidKey
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
