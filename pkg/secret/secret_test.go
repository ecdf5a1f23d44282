package secret

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestRedactor(t *testing.T) {
	const key = "k+y/=secret value"
	r := NewRedactor(key)
	tests := []struct {
		name string
		err  error
	}{
		{"raw", fmt.Errorf("bad key %s", key)},
		{"query escaped", fmt.Errorf("GET /x?access-key=%s", url.QueryEscape(key))},
		{"path escaped", fmt.Errorf("GET /%s", url.PathEscape(key))},
		{"url.Error", &url.Error{Op: "Get", URL: "https://api/x?access-key=" + url.QueryEscape(key), Err: context.DeadlineExceeded}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Error(fmt.Errorf("search: %w", tt.err))
			if strings.Contains(got.Error(), "secret") || !strings.Contains(got.Error(), Mask) {
				t.Fatalf("not redacted: %s", got)
			}
			if !errors.Is(got, tt.err) {
				t.Fatal("chain lost")
			}
		})
	}
	plain := errors.New("nothing secret here")
	if r.Error(plain) != plain {
		t.Fatal("an error without the key should come back unchanged")
	}
	if NewRedactor("").String("a b") != "a b" {
		t.Fatal("an empty key must redact nothing")
	}
}
