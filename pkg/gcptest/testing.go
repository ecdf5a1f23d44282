package gcptest

import (
	"context"
	"testing"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/lake"
)

// ForTest starts a stack for one test with the given topology (project
// "test", bucket "lake", objects in memory), points the client libraries at
// it through the test's environment, and stops it when the test ends.
// Tests using it cannot run in parallel, as t.Setenv forbids: Clients can.
func ForTest(t testing.TB, topology bus.Topology) *Stack {
	t.Helper()
	st := start(t, topology)
	for k, v := range st.Env() {
		t.Setenv(k, v)
	}
	return st
}

// Clients starts a stack for one test and opens the lake and the bus on
// it, with client options rather than the environment, so the test may
// run in parallel with others; the test's end closes them.
func Clients(t testing.TB, topology bus.Topology) (*Stack, *lake.Lake, *bus.Bus) {
	t.Helper()
	st := start(t, topology)
	ctx := context.Background()
	lk, err := lake.New(ctx, st.Bucket, st.LakeOptions()...)
	if err != nil {
		t.Fatalf("lake: %v", err)
	}
	t.Cleanup(func() { lk.Close() })
	b, err := bus.New(ctx, st.Project, st.BusOptions()...)
	if err != nil {
		t.Fatalf("bus: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return st, lk, b
}

func start(t testing.TB, topology bus.Topology) *Stack {
	t.Helper()
	st, err := Start(context.Background(), Options{Project: "test", Bucket: "lake", Topology: topology})
	if err != nil {
		t.Fatalf("local stack: %v", err)
	}
	t.Cleanup(st.Close)
	return st
}
