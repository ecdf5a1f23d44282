package extract_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"jobpulse/pkg/cert"
	"jobpulse/pkg/cert/certtest"
	"jobpulse/pkg/crash"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends/trendstest"
)

// TestStopAfterPublish stops each source's run at after-publish, as if the
// extractor were killed between announcing its batch and moving its
// watermark: the batch is on the bus and the watermark has not moved. The
// next run repeats the window: the same run, objects and announcement,
// and then the watermark moves.
func TestStopAfterPublish(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		source source.Source
		env    func(t *testing.T) *env
	}{
		{source.Saramin, func(t *testing.T) *env { return setup(t, now, -1) }},
		{source.Trends, func(t *testing.T) *env {
			em := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now})
			t.Cleanup(em.Close)
			e := sourceEnv(t, now)
			e.x.Trends = trendsClient(t, em.URL)
			return e
		}},
		{source.Cert, func(t *testing.T) *env {
			em := certtest.NewServer(certtest.Options{Key: "cert-key"})
			t.Cleanup(em.Close)
			e := sourceEnv(t, now)
			exams, err := extract.ParseExams("정보처리기사=1320,ADsP=SYN-ADSP")
			if err != nil {
				t.Fatal(err)
			}
			if e.x.Cert, err = cert.New(cert.Config{BaseURL: em.BaseURL(), ServiceKey: "cert-key", Exams: exams, RatePerSecond: -1, MaxTries: 1}); err != nil {
				t.Fatal(err)
			}
			return e
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.source), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := tt.env(t)
			e.x.Cfg.Source = tt.source
			e.x.Stop = crash.PanicAt(crash.AfterPublish)
			if step := crash.Catch(func() { _, _ = e.x.Run(ctx, extract.Options{}) }); step != crash.AfterPublish {
				t.Fatalf("the run stopped at %q; want after-publish", step)
			}
			stopped := e.messages(t)
			if len(stopped) != 1 || stopped[0].Source != tt.source {
				t.Fatalf("announced before the stop: %+v; want one %s batch", stopped, tt.source)
			}
			if wm, found, err := e.lake.ReadWatermark(ctx, tt.source); err != nil || found {
				t.Fatalf("watermark after the stop: %+v, found %v, %v; want none", wm, found, err)
			}

			e.x.Stop = nil
			sum, err := e.x.Run(ctx, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			again := e.messages(t)
			if len(again) != 1 || again[0].RunID != stopped[0].RunID || fmt.Sprint(again[0].Objects) != fmt.Sprint(stopped[0].Objects) {
				t.Fatalf("the run after the stop announced %+v; want the stopped run's batch again: %+v", again, stopped[0])
			}
			wm, found, err := e.lake.ReadWatermark(ctx, tt.source)
			if err != nil || !found || !wm.Until.Equal(sum.Window.To) {
				t.Fatalf("watermark after the repeat: %+v, found %v, %v; want it at %v", wm, found, err, sum.Window.To)
			}
		})
	}
}
