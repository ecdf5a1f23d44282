package notifytest

import "testing"

// ForTest starts a capture for one test and closes it when the test ends.
func ForTest(t testing.TB) *Capture {
	t.Helper()
	c, err := Start(Options{})
	if err != nil {
		t.Fatalf("notification capture: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}
