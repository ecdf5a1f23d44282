package load_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"jobpulse/pkg/crash"
	"jobpulse/pkg/source"
)

// TestStopPoints stops the loader at each of its crash points, as if it
// were killed there, and then lets its message come back: the
// subscription's ack deadline is 2 s, and the loader runs again until the
// message is delivered again (the minute only guards against a hang).
// Stopped before the load, nothing is in the warehouse and the next
// delivery loads the batch; stopped after the commit, the batch is in, and
// the next delivery loads it again without a duplicate or a change.
func TestStopPoints(t *testing.T) {
	t.Parallel()
	const deadline = 2 * time.Second
	tests := []struct {
		step                string
		atStop              int64 // postings in the warehouse when stopped
		inserted, unchanged int   // what the next delivery's load did
	}{
		{crash.BeforeLoad, 0, 2, 0},
		{crash.AfterCommit, 2, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := setupAck(t, deadline)
			var logs bytes.Buffer
			e.loader.Log = slog.New(slog.NewJSONHandler(&logs, nil))
			e.loader.Cfg.CheckMaxAge = time.Hour
			e.publish(t, e.batch(t, "r1", line("1", "2026-11-25T01:00:00Z"), line("2", "2026-11-25T01:00:00Z")))

			e.loader.Stop = crash.PanicAt(tt.step)
			if step := crash.Catch(func() { _, _ = e.loader.Run(ctx) }); step != tt.step {
				t.Fatalf("the loader stopped at %q; want %s", step, tt.step)
			}
			if n, err := e.loader.Warehouse.CountRecruit(ctx); err != nil || n != tt.atStop {
				t.Fatalf("at the stop the warehouse holds %d postings (%v); want %d", n, err, tt.atStop)
			}
			started := batchStarted(t, logs.Bytes())
			if len(started) != 1 || started[0]["run_id"] != "r1" || started[0]["source"] != string(source.Saramin) || started[0]["message_id"] == "" || started[0]["window_to"] == nil {
				t.Fatalf("batch started lines: %v; want one naming run r1, its source, window and message", started)
			}

			e.loader.Stop = nil
			var sum struct{ messages, inserted, unchanged int }
			for guard := time.Now().Add(time.Minute); sum.messages == 0; {
				if time.Now().After(guard) {
					t.Fatalf("the message was not delivered again within a minute of its %s ack deadline", deadline)
				}
				s, err := e.loader.Run(ctx)
				if err != nil {
					t.Fatal(err)
				}
				sum.messages, sum.inserted, sum.unchanged = s.Messages, s.Inserted, s.Unchanged
			}
			if sum.messages != 1 || sum.inserted != tt.inserted || sum.unchanged != tt.unchanged {
				t.Fatalf("the delivery after the stop: %+v; want 1 message, %d inserted, %d unchanged", sum, tt.inserted, tt.unchanged)
			}
			if n, err := e.loader.Warehouse.CountRecruit(ctx); err != nil || n != 2 {
				t.Fatalf("the warehouse holds %d postings (%v); want 2", n, err)
			}
			if _, err := e.loader.Check(ctx); err != nil {
				t.Fatalf("the whole-warehouse checks (duplicates among them) after the repeat: %v", err)
			}
			if again := batchStarted(t, logs.Bytes()); len(again) != 2 || again[1]["message_id"] != started[0]["message_id"] {
				t.Fatalf("batch started lines: %v; want the same message started twice", again)
			}
		})
	}
}

// batchStarted decodes the "batch started" lines of a JSON log.
func batchStarted(t *testing.T, log []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range bytes.Split(log, []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(l, &m) == nil && m["msg"] == "batch started" {
			out = append(out, m)
		}
	}
	return out
}
