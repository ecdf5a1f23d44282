package localstack

import (
	"context"
	"testing"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/lake"
)

// ForTest starts a stack for one test with the given topology (project
// "test", bucket "lake", objects in memory), points the client libraries at
// it through the test's environment, and stops it when the test ends.
// Tests using it cannot run in parallel, as t.Setenv forbids.
func ForTest(t testing.TB, topology bus.Topology) *Stack {
	t.Helper()
	st, err := Start(context.Background(), Options{Project: "test", Bucket: "lake", Topology: topology})
	if err != nil {
		t.Fatalf("local stack: %v", err)
	}
	t.Cleanup(st.Close)
	for k, v := range st.Env() {
		t.Setenv(k, v)
	}
	return st
}

// Clients starts a stack for one test, as ForTest does, and opens the lake
// and the bus on it; the test's end closes them.
func Clients(t testing.TB, topology bus.Topology) (*Stack, *lake.Lake, *bus.Bus) {
	t.Helper()
	st := ForTest(t, topology)
	ctx := context.Background()
	lk, err := lake.New(ctx, st.Bucket)
	if err != nil {
		t.Fatalf("lake: %v", err)
	}
	t.Cleanup(func() { lk.Close() })
	b, err := bus.New(ctx, st.Project)
	if err != nil {
		t.Fatalf("bus: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return st, lk, b
}
