package reread_test

import (
	"context"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/reread"
	"jobpulse/pkg/source"
)

func TestMarks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, l, _ := gcptest.Clients(t, bus.Topology{})
	h := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	mark := func(from, to time.Time, marked time.Time) reread.Mark {
		return reread.Mark{Source: source.Saramin, RunID: lake.RunID(source.Saramin, from, to), From: from, To: to, SetAside: 1, Reason: "no title", Marked: marked}
	}
	a := mark(h.Add(2*time.Hour), h.Add(3*time.Hour), h.Add(3*time.Hour))
	b := mark(h, h.Add(time.Hour), h.Add(time.Hour))
	for _, m := range []reread.Mark{a, b} {
		if err := reread.Add(ctx, l, m); err != nil {
			t.Fatal(err)
		}
	}
	// The same window failing again keeps its first time.
	again := b
	again.Marked, again.SetAside = h.Add(5*time.Hour), 4
	if err := reread.Add(ctx, l, again); err != nil {
		t.Fatal(err)
	}
	// Another source's mark is not this source's.
	if err := reread.Add(ctx, l, reread.Mark{Source: source.Trends, RunID: "x", From: h, To: h.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got, err := reread.Pending(ctx, l, source.Saramin)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].RunID != b.RunID || got[1].RunID != a.RunID {
		t.Fatalf("Pending = %+v, want b then a", got)
	}
	if !got[0].Marked.Equal(b.Marked) || got[0].SetAside != 4 {
		t.Errorf("re-marked window: marked %v set aside %d; want the first time %v and the new count 4", got[0].Marked, got[0].SetAside, b.Marked)
	}

	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"a window covering neither", h.Add(30 * time.Minute), h.Add(150 * time.Minute), 0},
		{"a window covering b only", h.Add(-2 * time.Hour), h.Add(150 * time.Minute), 1},
		{"a window covering a", h.Add(2 * time.Hour), h.Add(4 * time.Hour), 1},
		{"nothing left", h.Add(-time.Hour), h.Add(5 * time.Hour), 0},
	}
	for _, tc := range tests {
		cleared, err := reread.Clear(ctx, l, source.Saramin, tc.from, tc.to)
		if err != nil || len(cleared) != tc.want {
			t.Errorf("%s: cleared %d (%v), want %d", tc.name, len(cleared), err, tc.want)
		}
	}
	if got, err := reread.Pending(ctx, l, source.Saramin); err != nil || len(got) != 0 {
		t.Errorf("after clearing: %d marks (%v)", len(got), err)
	}
	if got, err := reread.Pending(ctx, l, source.Trends); err != nil || len(got) != 1 {
		t.Errorf("trends marks: %d (%v), want its own mark kept", len(got), err)
	}
	if err := l.Put(ctx, lake.RereadName(source.Cert, "bad"), "application/json", []byte(`{"from": "x"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := reread.Pending(ctx, l, source.Cert); err == nil {
		t.Error("a mark that is no window was read without an error")
	}
}
