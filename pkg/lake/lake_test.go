package lake_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/source"
)

func newLake(t *testing.T) *lake.Lake {
	_, l, _ := gcptest.Clients(t, bus.Topology{})
	return l
}

func TestPutGetListOverwrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := newLake(t)
	if err := l.Put(ctx, "raw/a/page-00000.json", "application/json", []byte(`{"v":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := l.Put(ctx, "raw/a/page-00000.json", "application/json", []byte(`{"v":2}`)); err != nil {
		t.Fatal(err)
	}
	if err := l.Put(ctx, "raw/b/page-00000.json", "application/json", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	got, err := l.Get(ctx, "raw/a/page-00000.json")
	if err != nil || string(got) != `{"v":2}` {
		t.Fatalf("Get = %q, %v; want the overwritten value", got, err)
	}
	names, err := l.List(ctx, "raw/a/")
	if err != nil || len(names) != 1 {
		t.Fatalf("List = %v, %v; want one object (overwrite, not add)", names, err)
	}
	if _, err := l.Get(ctx, "missing"); !errors.Is(err, lake.ErrNotFound) {
		t.Fatalf("missing object: %v, want ErrNotFound", err)
	}
	for range 2 { // the second time it is already gone: no error
		if err := l.Delete(ctx, "raw/a/page-00000.json"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
	}
	if _, err := l.Get(ctx, "raw/a/page-00000.json"); !errors.Is(err, lake.ErrNotFound) {
		t.Fatalf("deleted object: %v, want ErrNotFound", err)
	}
}

func TestPutStreamFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := newLake(t)
	big := strings.Repeat("0123456789abcdef", 160<<10) // 2.5 MiB: a resumable upload of three requests
	tests := []struct {
		name    string
		written string
		before  string // the object's earlier content; "" for none
	}{
		{"half a line", "half a line", ""},
		{"several chunks", big, ""},
		{"over an older object", "half a line", "the older object\n"},
		{"several chunks over an older object", big, "the older object\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("clean/x-%d.ndjson", i)
			if tt.before != "" {
				if err := l.Put(ctx, name, "application/x-ndjson", []byte(tt.before)); err != nil {
					t.Fatal(err)
				}
			}
			// Many times over: what a failed write leaves must not depend
			// on which of the client's goroutines runs first.
			for range 40 {
				err := l.PutStream(ctx, name, "application/x-ndjson", func(w io.Writer) error {
					io.WriteString(w, tt.written)
					return errors.New("source broke")
				})
				if err == nil || !strings.Contains(err.Error(), "source broke") {
					t.Fatalf("err = %v", err)
				}
				got, err := l.Get(ctx, name)
				switch {
				case tt.before == "" && !errors.Is(err, lake.ErrNotFound):
					t.Fatalf("a failed write left an object of %d bytes: %v", len(got), err)
				case tt.before != "" && string(got) != tt.before:
					t.Fatalf("a failed write replaced the older object with %d bytes: %v", len(got), err)
				}
			}
		})
	}
}

func TestPutStreamLarge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := newLake(t)
	var want strings.Builder
	for i := range 200_000 { // about 4 MiB of lines: several upload requests
		fmt.Fprintf(&want, "{\"n\":%d}\n", i)
	}
	err := l.PutStream(ctx, "clean/large.ndjson", "application/x-ndjson", func(w io.Writer) error {
		_, err := io.WriteString(w, want.String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Get(ctx, "clean/large.ndjson")
	if err != nil || string(got) != want.String() {
		t.Fatalf("read back %d bytes (%v), want the %d written", len(got), err, want.Len())
	}
}

func TestWatermark(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := newLake(t)
	wm, found, err := l.ReadWatermark(ctx, source.Saramin)
	if err != nil || found {
		t.Fatalf("fresh lake: found=%v err=%v", found, err)
	}
	t1 := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	if err := l.AdvanceWatermark(ctx, wm, t1, "run-1", t1); err != nil {
		t.Fatal(err)
	}
	// A second writer that read the watermark before the first advanced it
	// loses: two executions never both move it.
	if err := l.AdvanceWatermark(ctx, wm, t1.Add(time.Hour), "run-2", t1); !errors.Is(err, lake.ErrConflict) {
		t.Fatalf("stale advance: %v, want ErrConflict", err)
	}
	wm2, found, err := l.ReadWatermark(ctx, source.Saramin)
	if err != nil || !found || !wm2.Until.Equal(t1) || wm2.RunID != "run-1" {
		t.Fatalf("read back %+v found=%v err=%v", wm2, found, err)
	}
	if err := l.AdvanceWatermark(ctx, wm2, t1.Add(time.Hour), "run-2", t1); err != nil {
		t.Fatalf("advance from the current watermark: %v", err)
	}
}

func TestNamesAreDeterministic(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	tests := []struct{ got, want string }{
		{lake.RunID(source.Saramin, from, to), "saramin-20261125T000000Z-20261125T010000Z"},
		{lake.RawPage(source.Saramin, "r", to, 3), "raw/saramin/dt=2026-11-25/run=r/page-00003.json"},
		{lake.CleanPart(source.Saramin, "recruit", "r", to, 0), "clean/saramin/recruit/dt=2026-11-25/run=r/part-00000.ndjson"},
		{lake.QuarantinePart(source.Saramin, "recruit", "r", to, 1), "quarantine/saramin/recruit/dt=2026-11-25/run=r/part-00001.ndjson"},
		{lake.WatermarkName(source.Saramin), "state/watermark/saramin.json"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestObjectsHaveUpdateTimes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := newLake(t)
	before := time.Now().Add(-time.Minute)
	for _, name := range []string{"quarantine/b.json", "quarantine/a.json", "raw/c.json"} {
		if err := l.Put(ctx, name, "application/json", []byte(`{"x":1}`)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := l.Objects(ctx, "quarantine/")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "quarantine/a.json" || got[1].Name != "quarantine/b.json" {
		t.Fatalf("Objects = %+v; want the two quarantine objects, sorted", got)
	}
	for _, o := range got {
		if o.Updated.Before(before) || o.Updated.After(time.Now().Add(time.Minute)) || o.Size != 7 {
			t.Errorf("%s: updated %v, size %d; want now and 7", o.Name, o.Updated, o.Size)
		}
	}
}
