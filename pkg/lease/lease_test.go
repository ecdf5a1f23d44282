package lease_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/clocktest"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lease"
)

const name = "state/lease/loader.json"

func TestOneHolderAtATime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, _ := gcptest.Clients(t, bus.Topology{})
	clk := clocktest.New(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))

	a, err := lease.Acquire(ctx, lk, name, "exec-a", time.Hour, clk.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lease.Acquire(ctx, lk, name, "exec-b", time.Hour, clk.Now, nil)
	var held *lease.HeldError
	if !errors.As(err, &held) || !errors.Is(err, lease.ErrHeld) || held.Holder != "exec-a" || !held.Until.Equal(clk.Now().Add(time.Hour)) {
		t.Fatalf("a second execution: %v; want the lease held by exec-a for an hour", err)
	}
	// The holder may take it again (a retried task of the same execution).
	if _, err := lease.Acquire(ctx, lk, name, "exec-a", time.Hour, clk.Now, nil); err != nil {
		t.Fatalf("the holder again: %v", err)
	}
	// Given up, it is free at once.
	_, release := a.Hold(ctx)
	if err := release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := lease.Acquire(ctx, lk, name, "exec-b", time.Hour, clk.Now, nil); err != nil {
		t.Fatalf("after release: %v", err)
	}
	// A holder that died: its lease runs out after its time to live.
	clk.Advance(time.Hour - time.Second)
	if _, err := lease.Acquire(ctx, lk, name, "exec-c", time.Hour, clk.Now, nil); !errors.Is(err, lease.ErrHeld) {
		t.Fatalf("a second before it runs out: %v; want held", err)
	}
	clk.Advance(time.Second)
	if _, err := lease.Acquire(ctx, lk, name, "exec-c", time.Hour, clk.Now, nil); err != nil {
		t.Fatalf("once run out: %v", err)
	}
	if _, err := lease.Acquire(ctx, lk, name, "exec-d", 0, clk.Now, nil); err == nil {
		t.Error("a lease without a time to live was taken")
	}
}

// TestRacers: of executions started at once, exactly one holds the lease.
func TestRacers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, _ := gcptest.Clients(t, bus.Topology{})
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = lease.Acquire(ctx, lk, name, fmt.Sprint("exec-", i), time.Hour, nil, nil)
		})
	}
	wg.Wait()
	holders := 0
	for i, err := range errs {
		switch {
		case err == nil:
			holders++
		case !errors.Is(err, lease.ErrHeld):
			t.Errorf("exec-%d: %v; want the lease or ErrHeld", i, err)
		}
	}
	if holders != 1 {
		t.Fatalf("%d executions hold the lease; want 1", holders)
	}
}

// TestLostLeaseStopsTheWork: a holder whose lease ran out and passed to
// another execution sees its context end with ErrLost at its next renewal.
func TestLostLeaseStopsTheWork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, _ := gcptest.Clients(t, bus.Topology{})
	clk := clocktest.New(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	const ttl = 300 * time.Millisecond // renewed every 100 ms of real time
	a, err := lease.Acquire(ctx, lk, name, "exec-a", ttl, clk.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Another execution takes it over before exec-a renews (exec-a's
	// clock says it ran out).
	clk.Advance(time.Hour)
	if _, err := lease.Acquire(ctx, lk, name, "exec-b", time.Hour, clk.Now, nil); err != nil {
		t.Fatal(err)
	}
	held, release := a.Hold(ctx)
	select {
	case <-held.Done():
	case <-time.After(time.Minute): // a hang guard; it times nothing
		t.Fatal("the work went on without the lease")
	}
	if !errors.Is(context.Cause(held), lease.ErrLost) {
		t.Errorf("cause %v; want ErrLost", context.Cause(held))
	}
	if err := release(ctx); err != nil {
		t.Fatal(err)
	}
	// exec-b's lease is untouched by exec-a's release.
	if _, err := lease.Acquire(ctx, lk, name, "exec-c", time.Hour, clk.Now, nil); !errors.Is(err, lease.ErrHeld) {
		t.Errorf("after the lost holder released: %v; want exec-b's lease still held", err)
	}
}

// TestRenewalKeepsTheLease: a holder that works longer than the time to
// live keeps the lease by its renewals.
func TestRenewalKeepsTheLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, _ := gcptest.Clients(t, bus.Topology{})
	// Real time: the renewals run on it.
	const ttl = 6 * time.Second // renewed every 2 s: three renewals before it would run out
	a, err := lease.Acquire(ctx, lk, name, "exec-a", ttl, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	held, release := a.Hold(ctx)
	defer release(ctx)
	// Past the first time to live, another execution still finds it held.
	time.Sleep(ttl + ttl/2)
	if _, err := lease.Acquire(ctx, lk, name, "exec-b", ttl, nil, nil); !errors.Is(err, lease.ErrHeld) {
		t.Errorf("after %s of work: %v; want the lease still held by its renewals", ttl+ttl/2, err)
	}
	if held.Err() != nil {
		t.Errorf("the holder's context ended: %v", context.Cause(held))
	}
}
