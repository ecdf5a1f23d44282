package bus_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/source"
)

func newBus(t *testing.T) *bus.Bus {
	b, _ := newBusStack(t)
	return b
}

func newBusStack(t *testing.T) (*bus.Bus, *gcptest.Stack) {
	t.Helper()
	st, _, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"raw"},
		Subscriptions: []bus.Subscription{{ID: "transformer", Topic: "raw"}},
	})
	return b, st
}

var fast = bus.DrainOptions{PullTimeout: 2 * time.Second, EmptyPulls: 1}

func publishN(t *testing.T, b *bus.Bus, n int) {
	t.Helper()
	for i := range n {
		if _, err := b.Publish(context.Background(), "raw", bus.RawBatch{RunID: fmt.Sprint("r", i)}, map[string]string{"run_id": fmt.Sprint("r", i)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDrainAcksEverything(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBus(t)
	publishN(t, b, 5)
	var got []string
	st, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error {
		var m bus.RawBatch
		if err := d.Decode(&m); err != nil {
			return err
		}
		if d.Attributes["run_id"] != m.RunID {
			return fmt.Errorf("attribute %q, body %q", d.Attributes["run_id"], m.RunID)
		}
		got = append(got, m.RunID)
		return nil
	})
	if err != nil || st.Handled != 5 || len(got) != 5 {
		t.Fatalf("drain: %+v %v %v", st, got, err)
	}
	st, err = b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error {
		return errors.New("nothing should be left")
	})
	if err != nil || st.Handled != 0 {
		t.Fatalf("second drain: %+v %v", st, err)
	}
}

func TestFailedHandlerNacksAndStops(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBus(t)
	publishN(t, b, 3)
	calls := 0
	st, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error {
		calls++
		if calls == 2 {
			return errors.New("lake unavailable")
		}
		return nil
	})
	if err == nil || st.Handled != 1 || st.Failed != 1 {
		t.Fatalf("drain: %+v %v; want stop at the failure", st, err)
	}
	// The failed and the unhandled message come back; nothing is lost.
	n := 0
	if _, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("redelivered %d messages, want 2", n)
	}
}

func TestPoisonIsAcked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBus(t)
	if _, err := b.Publish(ctx, "raw", "not an object", nil); err != nil {
		t.Fatal(err)
	}
	st, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error {
		var m bus.RawBatch
		return d.Decode(&m)
	})
	if err != nil || st.Handled != 1 {
		t.Fatalf("poison: %+v %v; want it set aside and acked", st, err)
	}
}

func TestMaxMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBus(t)
	publishN(t, b, 4)
	o := fast
	o.MaxMessages = 3
	st, err := b.Drain(ctx, "transformer", o, func(ctx context.Context, d bus.Delivery) error { return nil })
	if err != nil || st.Handled != 3 {
		t.Fatalf("%+v %v", st, err)
	}
}

// The local stack's replay stands in for a seek of the subscription: every
// message since the given time is delivered again.
func TestReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b, st := newBusStack(t)
	publishN(t, b, 2)
	mid := time.Now()
	time.Sleep(10 * time.Millisecond)
	publishN(t, b, 3)
	count := func() int {
		n := 0
		if _, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 5 {
		t.Fatalf("first drain %d", n)
	}
	if n, err := st.Replay("transformer", mid); err != nil || n != 3 {
		t.Fatalf("replay: %d %v", n, err)
	}
	if n := count(); n != 3 {
		t.Fatalf("after replay: %d messages, want the 3 published since", n)
	}
	if err := b.Replay(ctx, "transformer", mid); err == nil {
		t.Fatal("the local server's seek should be refused, not crash later")
	}
}

// A failing source does not block the others: its message is nacked and its
// later messages are held back, while another source's messages are handled.
func TestFailureIsolatedToItsSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBus(t)
	for i, src := range []source.Source{source.Trends, source.Saramin, source.Trends, source.Saramin, source.Cert} {
		id := fmt.Sprint(src, i)
		if _, err := b.Publish(ctx, "raw", bus.RawBatch{Source: src, RunID: id}, map[string]string{bus.SourceAttr: string(src), "run_id": id}); err != nil {
			t.Fatal(err)
		}
	}
	var handled []string
	st, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error {
		var m bus.RawBatch
		if err := d.Decode(&m); err != nil {
			return err
		}
		if m.Source == source.Trends {
			return errors.New("trends table unavailable")
		}
		handled = append(handled, m.RunID)
		return nil
	})
	if err == nil || st.Failed != 1 {
		t.Fatalf("drain: %+v %v; want the trends failure reported once", st, err)
	}
	if len(handled) != 3 {
		t.Fatalf("handled %v; want saramin1, saramin3 and cert4 despite trends failing", handled)
	}
	// Both trends messages are still there: nothing was lost. Pub/Sub
	// redelivers without an order (no ordering keys); the loads do not
	// depend on it.
	var left []string
	if _, err := b.Drain(ctx, "transformer", fast, func(ctx context.Context, d bus.Delivery) error {
		var m bus.RawBatch
		_ = d.Decode(&m)
		left = append(left, m.RunID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(left)
	if fmt.Sprint(left) != "[trends0 trends2]" {
		t.Fatalf("left %v; want [trends0 trends2]", left)
	}
}

func TestPeekCountsAndHandsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := newBus(t)
	w, err := b.Peek(ctx, "transformer", 10, 500*time.Millisecond)
	if err != nil || w.Count != 0 || !w.Oldest.IsZero() {
		t.Fatalf("empty subscription: Peek = %+v, %v", w, err)
	}
	before := time.Now().Add(-time.Second)
	publishN(t, b, 3)
	for look := range 2 {
		w, err = b.Peek(ctx, "transformer", 10, 2*time.Second)
		if err != nil || w.Count != 3 {
			t.Fatalf("look %d: Peek = %+v, %v; want 3 messages", look, w, err)
		}
		if w.Oldest.Before(before) || w.Oldest.After(time.Now()) {
			t.Errorf("look %d: oldest %v, want a publish time of this test", look, w.Oldest)
		}
	}
	// Nothing was consumed: a drain still gets all three.
	st, err := b.Drain(ctx, "transformer", fast, func(context.Context, bus.Delivery) error { return nil })
	if err != nil || st.Handled != 3 {
		t.Fatalf("drain after peeks: %+v, %v; want 3 handled", st, err)
	}
}

// TestHeldMessagesKeepTheirDeadline: while a drain handles one message for
// longer than the subscription's ack deadline, the messages it pulled with
// it (and the one in hand) keep theirs: another consumer is given none of
// them, and each is handled once.
func TestHeldMessagesKeepTheirDeadline(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("holds a message past a 10 s ack deadline")
	}
	ctx := context.Background()
	const deadline = 10 * time.Second // Pub/Sub's least
	st, _, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"raw"},
		Subscriptions: []bus.Subscription{{ID: "slow", Topic: "raw", AckDeadline: deadline}},
	})
	other, err := bus.New(ctx, st.Project, st.BusOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	publishN(t, b, 2)

	var handled []string
	var stolen int
	o := bus.DrainOptions{BatchSize: 2, EmptyPulls: 1, PullTimeout: 2 * time.Second, AckDeadline: deadline}
	_, err = b.Drain(ctx, "slow", o, func(ctx context.Context, d bus.Delivery) error {
		handled = append(handled, d.ID)
		if len(handled) > 1 {
			return nil
		}
		// Hold the first one past the deadline, looking meanwhile for a
		// redelivery of either message to another consumer.
		for end := time.Now().Add(deadline + deadline/2); time.Now().Before(end); {
			w, err := other.Peek(ctx, "slow", 10, time.Second)
			if err != nil {
				return err
			}
			stolen += w.Count
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if stolen != 0 || len(handled) != 2 || handled[0] == handled[1] {
		t.Errorf("another consumer was given %d held messages; the drain handled %v; want none given and two handled once", stolen, handled)
	}
}

// TestStoppedDrainsMessageComesBack: a drain whose job stops at a crash
// point while it holds a message (it is neither acknowledged nor handed
// back) leaves the message to the subscription's ack deadline, here 2 s:
// once that passes, the next drain is given it again. The drains are
// repeated until it comes back; the minute is only a guard against a hang.
func TestStoppedDrainsMessageComesBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const deadline = 2 * time.Second
	_, _, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"raw"},
		Subscriptions: []bus.Subscription{{ID: "short", Topic: "raw", AckDeadline: deadline}},
	})
	publishN(t, b, 1)
	o := bus.DrainOptions{EmptyPulls: 1, PullTimeout: time.Second, AckDeadline: deadline}

	var held string
	stop := crash.PanicAt(crash.AfterPublish)
	step := crash.Catch(func() {
		_, _ = b.Drain(ctx, "short", o, func(ctx context.Context, d bus.Delivery) error {
			held = d.ID
			stop.At(crash.AfterPublish)
			return nil
		})
	})
	if step != crash.AfterPublish || held == "" {
		t.Fatalf("the drain stopped at %q holding %q; want a message held at after-publish", step, held)
	}

	var again []string
	for guard := time.Now().Add(time.Minute); len(again) == 0; {
		if time.Now().After(guard) {
			t.Fatalf("message %s not delivered again within a minute of a %s ack deadline", held, deadline)
		}
		if _, err := b.Drain(ctx, "short", o, func(ctx context.Context, d bus.Delivery) error {
			again = append(again, d.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(again) != fmt.Sprint([]string{held}) {
		t.Fatalf("delivered again: %v; want %s once", again, held)
	}
}
