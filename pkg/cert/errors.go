package cert

import "jobpulse/pkg/apicall"

// Q-Net's own answers, from the result codes of the data.go.kr gateway.
// Errors the client returns match them with errors.Is; the other codes map
// to the sentinels of package apicall (see classify).
var (
	ErrNoService        = apicall.Fatal("cert: no such open API service")   // 12
	ErrAccessDenied     = apicall.Fatal("cert: service access denied")      // 20, 21, 32, 33
	ErrKeyNotRegistered = apicall.Fatal("cert: service key not registered") // 30
	ErrKeyExpired       = apicall.Fatal("cert: service key expired")        // 31
)

// classify maps a result code (resultCode, or the gateway's
// returnReasonCode) to its sentinel, as listed on portal API pages (copied
// in florescene.tistory.com/192; service 15089332 on data.go.kr). nil
// leaves the status classes of apicall.
func classify(e *apicall.APIError) error {
	switch e.Code {
	case "10", "11":
		return apicall.ErrBadRequest
	case "12":
		return ErrNoService
	case "20", "21", "32", "33":
		return ErrAccessDenied
	case "22":
		return apicall.ErrQuotaExceeded
	case "30":
		return ErrKeyNotRegistered
	case "31":
		return ErrKeyExpired
	case "01", "02", "04", "05", "99":
		return apicall.ErrServer
	}
	return nil
}

// resultError is an answer whose resultCode (or the gateway's
// returnReasonCode) is not "00" (normal) or "03" (no data).
func resultError(op, code, msg string) *apicall.APIError {
	e := &apicall.APIError{Op: op, Code: code, Message: msg}
	e.Kind = classify(e)
	return e
}
