package load_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse/warehousetest"
)

// TestNotifications checks what a person receives from the loader: a run's
// outcome once it is loaded, an indicator load, a batch stopped by the
// checks with the command that replays it, a failed load (once, however
// often it is retried within the hour), and a failed warehouse check.
func TestNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := setup(t)
	capture := notifytest.ForTest(t)
	n, err := notify.New(capture.Config(), e.lake, nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	e.loader.Notify = n

	good := e.batch(t, "saramin-r1", line("1", "2026-11-25T01:00:00Z"), line("2", "2026-11-25T01:00:00Z"))
	good.Quarantined = 1
	good.Drift = map[string]int{"modification-timestamp in milliseconds": 2}
	noID := e.batch(t, "saramin-r2", `{"id":"","title":"x","posted_at":"2026-11-25T00:00:00Z","modified_at":"2026-11-25T01:00:00Z"}`+"\n")
	trend := "clean/trends/google_trend/run=trends-r1/a.ndjson"
	if err := e.lake.Put(ctx, trend, "application/x-ndjson", warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-01", "2021-11-20 2026-11-19", 40, 2))); err != nil {
		t.Fatal(err)
	}
	for _, m := range []bus.CleanBatch{good, noID, {Source: source.Trends, RunID: "trends-r1", Objects: []string{trend}, Rows: 1}} {
		e.publish(t, m)
	}
	if _, err := e.loader.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// A batch whose file is missing fails on every try; the failure names
	// it.
	e.publish(t, bus.CleanBatch{Source: source.Saramin, RunID: "saramin-r3", Objects: []string{"clean/none.ndjson"}, Rows: 1})
	for range 2 {
		if _, err := e.loader.Run(ctx); err == nil {
			t.Fatal("loading a missing file succeeded")
		}
	}
	// The file appears, with a backlog behind it: five batches in one
	// execution make one message.
	if err := e.lake.Put(ctx, "clean/none.ndjson", "application/x-ndjson", []byte(line("9", "2026-11-25T01:00:00Z"))); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		run := fmt.Sprintf("saramin-b%d", i)
		e.publish(t, e.batch(t, run, line(fmt.Sprint(100+i), "2026-11-25T03:00:00Z")))
	}
	if sum, err := e.loader.Run(ctx); err != nil || sum.Messages != 5 {
		t.Fatalf("backlog: %+v %v", sum, err)
	}
	e.loader.Cfg.CheckMaxAge = time.Nanosecond
	if _, err := e.loader.Check(ctx); err == nil {
		t.Fatal("the freshness check passed with a maximum age of 1ns")
	}

	want := [][]string{
		{"Postings loaded", "3 postings found, 2 loaded: 2 new, 0 updated, 0 closed; 2 are data roles.", "Quarantined: 1", "Run id: saramin-r1", "changed shape", "drift absorbed: 2 records with modification-timestamp in milliseconds"},
		{"Batch failed data checks and was quarantined", "id_and_modified_at_present", "gcloud pubsub subscriptions seek loader --time=", "gcloud run jobs execute jobpulse-loader"},
		{"Search interest loaded", "1 rows loaded: 1 new", "Run id: trends-r1"},
		{"loader failed at load", "Run id: saramin-r3", "Source: saramin", "Pub/Sub delivers it again"},
		{"Load complete", "5 batches loaded by one execution", "saramin-r3", "saramin-b0", "saramin-b3", "5 new"},
		{"Warehouse failed data checks", "freshness (warehouse): 1 rows", "--args=--check"},
	}
	msgs := capture.Messages()
	if len(msgs) != len(want) {
		var titles []string
		for _, m := range msgs {
			titles = append(titles, strings.SplitN(m.Text, "\n", 2)[0])
		}
		t.Fatalf("got %d messages %q; want %d (the repeated failure once)", len(msgs), titles, len(want))
	}
	// Pub/Sub does not keep the order: find each by what it says.
	for _, w := range want {
		if !slices.ContainsFunc(msgs, func(m notifytest.Received) bool {
			return !slices.ContainsFunc(w, func(s string) bool { return !strings.Contains(m.Text, s) })
		}) {
			t.Errorf("no message saying all of %q", w)
		}
	}
	var subjects []string
	for _, m := range capture.Mails() {
		subjects = append(subjects, m.Subject)
	}
	if len(subjects) != 3 || strings.Contains(strings.Join(subjects, "|"), "loaded") {
		t.Errorf("emails %q; want the three failures only", subjects)
	}
}
