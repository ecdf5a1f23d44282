package googlesql

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Version is the analyzer's version scripts/googlesql.sh installs.
const Version = "1.13.0"

// Dir is where scripts/googlesql.sh installs the analyzer: $GOOGLESQL_DIR
// when set, else ${XDG_CACHE_HOME:-~/.cache}/jobpulse/zetasql-VERSION.
func Dir() string {
	if d := os.Getenv("GOOGLESQL_DIR"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "jobpulse", "zetasql-"+Version)
}

// ForTest starts the analyzer installed in Dir for one test (or a test
// binary's shared use) and stops it when the test ends. Where it is not
// installed the test is skipped, saying how to install it, except in CI
// (CI=true), where that fails the test: make test installs it first.
func ForTest(t testing.TB) *Server {
	t.Helper()
	dir := Dir()
	if _, err := os.Stat(filepath.Join(dir, "remote_server.so")); err != nil {
		const how = "GoogleSQL's analyzer is not installed (scripts/googlesql.sh installs it; make test runs it)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how)
		}
		t.Skip(how)
	}
	s, err := Start(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}
