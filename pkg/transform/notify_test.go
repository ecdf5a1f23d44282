package transform_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/reread"
	"jobpulse/pkg/source"
	"jobpulse/pkg/transform"
)

// TestNotifications checks what a person receives from the transformer:
// the records it set aside, and a failure to announce, with the message
// left for the next execution.
func TestNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, lk, b := gcptest.Clients(t, bus.Topology{
		Topics:        []string{"raw", "clean"},
		Subscriptions: []bus.Subscription{{ID: "transformer", Topic: "raw"}},
	})
	capture := notifytest.ForTest(t)
	to := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	n, err := notify.New(notify.Config{SlackWebhookURL: capture.WebhookURL}, lk, nil, func() time.Time { return to })
	if err != nil {
		t.Fatal(err)
	}
	raw := bus.RawBatch{Source: source.Saramin, RunID: "saramin-r1", Window: bus.Window{From: to.Add(-time.Hour), To: to}, Objects: []string{lake.RawPage(source.Saramin, "saramin-r1", to, 0)}}
	if err := lk.Put(ctx, raw.Objects[0], "application/json", []byte(`{"jobs":{"job":[{"id":null},{"id":"7","position":{"title":"데이터 분석가"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}]}}`)); err != nil {
		t.Fatal(err)
	}
	tr := &transform.Transformer{Cfg: transform.Config{Subscription: "transformer", Topic: "nowhere", DrainOptions: bus.DrainOptions{PullTimeout: time.Second, EmptyPulls: 1}},
		Lake: lk, Bus: b, Now: func() time.Time { return to }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Notify: n}
	if _, err := b.Publish(ctx, "raw", raw, map[string]string{bus.SourceAttr: string(source.Saramin)}); err != nil {
		t.Fatal(err)
	}
	// The clean topic is missing: the announcement fails.
	if _, err := tr.Run(ctx); err == nil {
		t.Fatal("announcing to a missing topic succeeded")
	}
	msgs := capture.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages; want the failure", len(msgs))
	}
	for _, want := range []string{"transformer failed at announce", "saramin-r1", "delivers it again", "gcloud run jobs execute jobpulse-transformer"} {
		if !strings.Contains(msgs[0].Text, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msgs[0].Text)
		}
	}
	// With the topic right, the next execution handles the same message.
	tr.Cfg.Topic = "clean"
	sum, err := tr.Run(ctx)
	if err != nil || sum.Messages != 1 || sum.Rows != 1 || sum.Quarantined != 1 {
		t.Fatalf("retry: %+v %v", sum, err)
	}
	msgs = capture.Messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages; want the failure and the quarantine", len(msgs))
	}
	for _, want := range []string{"1 object set aside in quarantine", "quarantine/saramin/recruit/", "Records quarantined: 1", "gcloud run jobs execute jobpulse-extractor --args=--source=saramin,--from=2026-11-25T00:00:00Z,--to=2026-11-25T01:00:00Z"} {
		if !strings.Contains(msgs[1].Text, want) {
			t.Errorf("quarantine message lacks %q:\n%s", want, msgs[1].Text)
		}
	}
	// The window is marked to be read again.
	marks, err := reread.Pending(ctx, lk, source.Saramin)
	if err != nil || len(marks) != 1 || marks[0].RunID != "saramin-r1" || marks[0].SetAside != 1 || !strings.Contains(marks[0].Reason, "id") {
		t.Fatalf("marks after a record was set aside: %+v (%v)", marks, err)
	}

	// The window read again, whole, its timestamps in milliseconds: the
	// mark is cleared, and the drift told once, not again the same day.
	for i := range 2 {
		if err := lk.Put(ctx, raw.Objects[0], "application/json", []byte(`{"jobs":{"job":[{"id":"6","position":{"title":"데이터 엔지니어"},"posting-timestamp":"1632734241000","modification-timestamp":"1632734241000"},{"id":"7","position":{"title":"데이터 분석가"},"posting-timestamp":"1632734241","modification-timestamp":"1632734241"}]}}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Publish(ctx, "raw", raw, map[string]string{bus.SourceAttr: string(source.Saramin)}); err != nil {
			t.Fatal(err)
		}
		sum, err := tr.Run(ctx)
		if err != nil || sum.Rows != 2 || sum.Quarantined != 0 || sum.Run.Drift["modification-timestamp in milliseconds"] != 1 || sum.Run.Drift["posting-timestamp in milliseconds"] != 1 {
			t.Fatalf("read again (%d): %+v %v", i, sum, err)
		}
		msgs = capture.Messages()
		if len(msgs) != 4 {
			t.Fatalf("read again (%d): %d messages; want one for each kind of drift, once", i, len(msgs))
		}
	}
	for _, m := range msgs[2:] {
		if !strings.Contains(m.Text, "API answers changed shape") || !strings.Contains(m.Text, "in milliseconds") || !strings.Contains(m.Text, "1 record arrived with") {
			t.Errorf("drift message:\n%s", m.Text)
		}
	}
	if marks, err := reread.Pending(ctx, lk, source.Saramin); err != nil || len(marks) != 0 {
		t.Errorf("marks after the window was read whole: %+v (%v)", marks, err)
	}
}
