package extract_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/extract"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/source"
)

// TestNotifications runs the extractor against the emulator and checks what
// a person receives from it: nothing for a run that found postings (the
// loader reports it once loaded), the empty hour, a failure with the
// command that re-runs the window, and a spent quota, which also writes the
// extract_stopped signal.
func TestNotifications(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		quota   int
		prepare func(t *testing.T, e *env) extract.Options
		want    []string // in the one Slack message; none: no message
		mail    bool
		signal  string
	}{
		{
			name:    "postings found",
			quota:   -1,
			prepare: func(t *testing.T, e *env) extract.Options { return extract.Options{} },
		},
		{
			name:  "an hour without news",
			quota: -1,
			prepare: func(t *testing.T, e *env) extract.Options {
				h := e.em.NextHourWith(false, base)
				e.em.SetNow(h.Add(time.Hour))
				return extract.Options{From: h, To: h.Add(time.Hour)}
			},
			want: []string{"No new postings this hour", "The API has no posting published or modified between"},
		},
		{
			name:  "the API stays down",
			quota: -1,
			prepare: func(t *testing.T, e *env) extract.Options {
				if err := e.em.InjectFault(saramintest.Fault{Kind: saramintest.FaultServerError, Status: 502, Count: -1}); err != nil {
					t.Fatal(err)
				}
				return extract.Options{}
			},
			want: []string{"extractor failed at fetch", "502", "The watermark has not moved",
				"gcloud run jobs execute jobpulse-extractor --args=--source=saramin,--from=2025-10-16T00:00:00Z,--to=2026-11-20T00:00:00Z"},
			mail: true,
		},
		{
			name:    "the quota runs out",
			quota:   3,
			prepare: func(t *testing.T, e *env) extract.Options { return extract.Options{} },
			want:    []string{"Daily API quota spent", "Pages written before: 2"},
			mail:    true,
			signal:  `"alert":"extract_stopped"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := setup(t, base, tc.quota)
			capture := notifytest.ForTest(t)
			n, err := notify.New(capture.Config(), e.lake, nil, e.em.Now)
			if err != nil {
				t.Fatal(err)
			}
			e.x.Notify = n
			e.x.Cfg.Source = source.Saramin
			_, _ = e.x.Run(ctx, tc.prepare(t, e))

			msgs := capture.Messages()
			if len(tc.want) == 0 {
				if len(msgs) != 0 {
					t.Fatalf("got %d messages; want none: %s", len(msgs), msgs[0].Text)
				}
				return
			}
			if len(msgs) != 1 {
				t.Fatalf("got %d messages; want 1", len(msgs))
			}
			for _, w := range tc.want {
				if !strings.Contains(msgs[0].Text, w) {
					t.Errorf("message lacks %q:\n%s", w, msgs[0].Text)
				}
			}
			if strings.Contains(msgs[0].Text, key) {
				t.Error("the access key is in the message")
			}
			if got := len(capture.Mails()); got != map[bool]int{false: 0, true: 1}[tc.mail] {
				t.Errorf("%d emails; want email=%v", got, tc.mail)
			}
			if tc.signal != "" && !strings.Contains(e.logs.String(), tc.signal) {
				t.Errorf("log lacks %s", tc.signal)
			}
		})
	}
}
