// Package secret keeps credentials (API keys sent as query parameters) out
// of error messages: every form the key can take in a URL or a message is
// replaced, and the error chain is kept for errors.Is and errors.As.
package secret

import (
	"errors"
	"net/url"
	"strings"
)

// Mask replaces a secret in text.
const Mask = "REDACTED"

// Redactor removes one secret.
type Redactor struct {
	forms []string
}

// NewRedactor returns a Redactor for key, in its raw, query-escaped and
// path-escaped forms. An empty key redacts nothing.
func NewRedactor(key string) Redactor {
	if key == "" {
		return Redactor{}
	}
	// Longest first, so a form containing another is replaced whole.
	forms := []string{url.QueryEscape(key), url.PathEscape(key), key}
	return Redactor{forms: forms}
}

// String replaces every form of the secret in s.
func (r Redactor) String(s string) string {
	for _, f := range r.forms {
		if f != "" {
			s = strings.ReplaceAll(s, f, Mask)
		}
	}
	return s
}

// Error returns err unchanged when its message does not hold the secret;
// otherwise an error with the cleaned message that still unwraps to err.
// The URL inside a *url.Error is cleaned too.
func (r Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.URL != r.String(ue.URL) {
		ue.URL = r.String(ue.URL)
	}
	msg := err.Error()
	if clean := r.String(msg); clean != msg {
		return &redacted{err: err, msg: clean}
	}
	return err
}

type redacted struct {
	err error
	msg string
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }
