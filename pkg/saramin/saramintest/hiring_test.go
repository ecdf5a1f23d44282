package saramintest

import (
	"math"
	"slices"
	"testing"
	"time"

	"jobpulse/pkg/kst"
)

func TestDataHiring(t *testing.T) {
	t.Parallel()
	// testNow is Friday 2026-11-20 15:00 KST; with 400 days of history the
	// market starts on Thursday 2025-10-16 and the share grows over
	// 400 days 15 hours (9615 h). Want = 126 × weekday factor × Scale × share.
	emulators := map[float64]*Emulator{}
	for _, scale := range []float64{1, 2} {
		e, err := New(Options{Now: testNow, HistoryDays: 400, Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		emulators[scale] = e
	}
	for _, tc := range []struct {
		name  string
		scale float64
		day   time.Time
		want  float64
	}{
		{"a month before the history: the first day's share", 1, time.Date(2025, 9, 16, 12, 0, 0, 0, kst.Zone), 126 * 1.1 * 0.03},
		{"first day of the history", 1, time.Date(2025, 10, 16, 0, 0, 0, 0, kst.Zone), 126 * 1.0 * 0.03},
		{"an instant in another zone counts for its KST day", 1, time.Date(2025, 10, 15, 20, 0, 0, 0, time.UTC), 126 * 1.0 * 0.03},
		{"middle of the history (Monday)", 1, time.Date(2026, 5, 4, 12, 0, 0, 0, kst.Zone), 126 * 1.15 * (0.03 + 0.06*4800/9615)},
		{"day of the clock (Friday)", 1, time.Date(2026, 11, 20, 23, 0, 0, 0, kst.Zone), 126 * 0.9 * (0.03 + 0.06*9600/9615)},
		{"after the clock: the last share", 1, time.Date(2026, 11, 30, 9, 0, 0, 0, kst.Zone), 126 * 1.15 * 0.09},
		{"Sunday is quiet", 1, time.Date(2026, 11, 29, 9, 0, 0, 0, kst.Zone), 126 * 0.12 * 0.09},
		{"Scale multiplies", 2, time.Date(2026, 11, 30, 9, 0, 0, 0, kst.Zone), 2 * 126 * 1.15 * 0.09},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := emulators[tc.scale].DataHiring(tc.day)
			if math.Abs(got-tc.want) > 1e-9*tc.want {
				t.Errorf("DataHiring(%s) = %v, want %v", tc.day.Format(time.RFC3339), got, tc.want)
			}
		})
	}
}

// TestDataHiringMatchesMarket checks the model against the generated
// postings: over the history, the expected data postings add up to about
// the number of postings carrying a data-only job code (nearly every data
// role does), and both grow about 2.5-fold from the first eight weeks to
// the last eight (mean share 3.4%, then 8.6%).
func TestDataHiringMatchesMarket(t *testing.T) {
	t.Parallel()
	e, err := seven()
	if err != nil {
		t.Fatal(err)
	}
	m := e.market
	end := kst.Midnight(testNow)
	days := int(end.Sub(m.start).Hours()/24 + 0.5)
	want := make([]float64, days)
	got := make([]float64, days)
	for i := range days {
		want[i] = e.DataHiring(m.start.AddDate(0, 0, i))
	}
	for _, p := range m.postings {
		i := int(dayNumber(time.Unix(p.posted, 0)) - dayNumber(m.start))
		if i < 0 || i >= days {
			continue
		}
		if slices.ContainsFunc(p.jobCodes, func(c string) bool { return dataCodes[c] }) {
			got[i]++
		}
	}
	sum := func(s []float64) float64 {
		t := 0.0
		for _, x := range s {
			t += x
		}
		return t
	}
	if w, g := sum(want), sum(got); math.Abs(g-w) > 0.1*w {
		t.Errorf("history: %.0f data postings generated, model expects %.0f", g, w)
	}
	const span = 8 * 7
	for name, s := range map[string][]float64{"model": want, "generated": got} {
		first, last := sum(s[:span]), sum(s[len(s)-span:])
		if r := last / first; r < 2 || r > 3 {
			t.Errorf("%s: last %d days / first %d days = %.2f, want about 2.5", name, span, span, r)
		}
	}
}
