package load_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/warehouse/warehousetest"
)

// TestNotifications checks what a person receives from the loader: a run's
// outcome once it is loaded, an indicator load, a batch stopped by the
// checks with the command that replays it, a failed load (once, however
// often it is retried within the hour), and a failed warehouse check.
func TestNotifications(t *testing.T) {
	ctx := context.Background()
	e := setup(t)
	capture, err := notifytest.Start(notifytest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(capture.Close)
	n, err := notify.New(capture.Config(), e.lake, nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	e.loader.Notify = n

	good := e.batch(t, "saramin-r1", line("1", "2026-11-25T01:00:00Z"), line("2", "2026-11-25T01:00:00Z"))
	good.Quarantined = 1
	noID := e.batch(t, "saramin-r2", `{"id":"","title":"x","posted_at":"2026-11-25T00:00:00Z","modified_at":"2026-11-25T01:00:00Z"}`+"\n")
	trend := "clean/trends/google_trend/run=trends-r1/a.ndjson"
	if err := e.lake.Put(ctx, trend, "application/x-ndjson", warehousetest.NDJSON(warehousetest.TrendRow("SQL", "2026-11-01", "2021-11-20 2026-11-19", 40, 2))); err != nil {
		t.Fatal(err)
	}
	for _, m := range []bus.CleanBatch{good, noID, {Source: "trends", RunID: "trends-r1", Objects: []string{trend}, Rows: 1}} {
		e.publish(t, m)
	}
	if _, err := e.loader.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// A batch whose file is missing fails on every try.
	e.publish(t, bus.CleanBatch{Source: "saramin", RunID: "saramin-r3", Objects: []string{"clean/none.ndjson"}, Rows: 1})
	for range 2 {
		if _, err := e.loader.Run(ctx); err == nil {
			t.Fatal("loading a missing file succeeded")
		}
	}
	e.loader.Cfg.CheckMaxAge = time.Nanosecond
	if _, err := e.loader.Check(ctx); err == nil {
		t.Fatal("the freshness check passed with a maximum age of 1ns")
	}

	want := [][]string{
		{"Postings loaded", "3 postings found, 2 loaded: 2 new, 0 updated, 0 closed; 2 are data roles.", "Quarantined: 1", "Run id: saramin-r1"},
		{"Batch failed data checks and was quarantined", "id_and_modified_at_present", "gcloud pubsub subscriptions seek loader --time=", "gcloud run jobs execute jobpulse-loader"},
		{"Search interest loaded", "1 rows loaded: 1 new"},
		{"loader failed at load", "saramin-r3", "Pub/Sub delivers it again"},
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
	// Pub/Sub does not keep the order: find each by its headline.
	for _, w := range want {
		i := slices.IndexFunc(msgs, func(m notifytest.Received) bool { return strings.Contains(strings.SplitN(m.Text, "\n", 2)[0], w[0]) })
		if i < 0 {
			t.Errorf("no message %q", w[0])
			continue
		}
		for _, s := range w[1:] {
			if !strings.Contains(msgs[i].Text, s) {
				t.Errorf("message %q lacks %q:\n%s", w[0], s, msgs[i].Text)
			}
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
