package trendstest_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"time"

	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/trends/trendstest"
)

// timeline decodes a multiline body: the week starts, the values per week
// and the syntheticData field (nil when absent).
func timeline(t *testing.T, ml []byte) (weeks []time.Time, values [][]int, synthetic any) {
	t.Helper()
	var v struct {
		Default struct {
			TimelineData []struct {
				Time  string `json:"time"`
				Value []int  `json:"value"`
			} `json:"timelineData"`
			SyntheticData any `json:"syntheticData"`
		} `json:"default"`
	}
	if err := json.Unmarshal(ml[len(")]}',\n"):], &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Default.TimelineData {
		sec, err := strconv.ParseInt(p.Time, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		weeks = append(weeks, time.Unix(sec, 0).UTC())
		values = append(values, p.Value)
	}
	return weeks, values, v.Default.SyntheticData
}

// liftOfHiring asks two emulators with the same seed, one driven by hiring
// and one without, for the same keywords over window, and returns the
// weeks and the lift of the first keyword against the second that hiring
// causes (lift).
func liftOfHiring(t *testing.T, seed int64, hiring func(time.Time) float64, kw []string, window string) ([]time.Time, []float64) {
	t.Helper()
	with := trendstest.NewServer(trendstest.Options{Seed: seed, Now: now, Hiring: hiring})
	t.Cleanup(with.Close)
	without := trendstest.NewServer(trendstest.Options{Seed: seed, Now: now})
	t.Cleanup(without.Close)
	_, m1 := exploreAndMultiline(t, with.URL, kw, window)
	_, m0 := exploreAndMultiline(t, without.URL, kw, window)
	weeks, v1, _ := timeline(t, m1)
	_, v0, _ := timeline(t, m0)
	return weeks, lift(t, v1, v0)
}

// lift returns, per week, how much more the first keyword weighs against
// the second with hiring than without: (with[0]/with[1]) / (without[0]/without[1]).
// The noise and the per-request rescaling cancel out.
func lift(t *testing.T, with, without [][]int) []float64 {
	t.Helper()
	if len(with) != len(without) {
		t.Fatalf("%d weeks with hiring, %d without", len(with), len(without))
	}
	out := make([]float64, len(with))
	for i := range with {
		a, b := with[i], without[i]
		if a[1] == 0 || b[0] == 0 || b[1] == 0 {
			t.Fatalf("week %d: zero values %v %v", i, a, b)
		}
		out[i] = (float64(a[0]) / float64(a[1])) / (float64(b[0]) / float64(b[1]))
	}
	return out
}

func mean(s []float64) float64 {
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	return sum / float64(len(s))
}

// TestHiringMovesDataKeywordsAfterLag triples the hiring from one Sunday on:
// 데이터 분석 (weight 0.8) rises against 정보처리기사 (weight 0) by 3^0.8,
// exactly 4 weeks later.
func TestHiringMovesDataKeywordsAfterLag(t *testing.T) {
	t.Parallel()
	step := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // a Sunday
	hiring := func(day time.Time) float64 {
		if day.Before(step) {
			return 1
		}
		return 3
	}
	weeks, q := liftOfHiring(t, 3, hiring, []string{"데이터 분석", "정보처리기사"}, "2025-11-02 2026-11-20")

	// The week starting at w follows the hiring of the week starting 4
	// weeks earlier: high from step+4 weeks on.
	high := func(w time.Time) bool { return !w.Before(step.AddDate(0, 0, 28)) }
	var lo, hi []float64
	for i, w := range weeks {
		if high(w) {
			hi = append(hi, q[i])
		} else {
			lo = append(lo, q[i])
		}
	}
	if len(lo) < 10 || len(hi) < 10 {
		t.Fatalf("%d low weeks, %d high weeks", len(lo), len(hi))
	}
	mlo, mhi := mean(lo), mean(hi)
	if r, want := mhi/mlo, math.Pow(3, 0.8); math.Abs(r-want) > 0.1*want {
		t.Errorf("data interest rose %.2f-fold after the step, want %.2f", r, want)
	}
	for i, w := range weeks {
		closerHigh := math.Abs(q[i]-mhi) < math.Abs(q[i]-mlo)
		if closerHigh != high(w) {
			t.Errorf("week %s: lift %.2f (low %.2f, high %.2f), want the %s level",
				w.Format(time.DateOnly), q[i], mlo, mhi, map[bool]string{true: "high", false: "low"}[high(w)])
		}
	}
}

// TestHiringDeterministic: the same seed and hiring give the same bytes,
// and a constant hiring changes nothing.
func TestHiringDeterministic(t *testing.T) {
	t.Parallel()
	hiring := func(day time.Time) float64 { return 5 + float64(day.YearDay()%90) }
	kw := []string{"데이터 엔지니어", "SQLD", "파이썬", "빅데이터분석기사", "정보처리기사"}
	window := "2021-11-20 2026-11-20"
	var bodies [][]byte
	for _, h := range []func(time.Time) float64{hiring, hiring, func(time.Time) float64 { return 2 }, nil} {
		s := trendstest.NewServer(trendstest.Options{Seed: 9, Now: now, Hiring: h})
		_, ml := exploreAndMultiline(t, s.URL, kw, window)
		s.Close()
		bodies = append(bodies, ml)
	}
	if !bytes.Equal(bodies[0], bodies[1]) {
		t.Error("same seed and hiring, different answers")
	}
	if bytes.Equal(bodies[0], bodies[3]) {
		t.Error("a varying hiring changed nothing")
	}
	if !bytes.Equal(bodies[2], bodies[3]) {
		t.Error("a constant hiring changed the answer")
	}
}

// TestSyntheticDataMarked: every multiline answer says it is synthetic.
func TestSyntheticDataMarked(t *testing.T) {
	t.Parallel()
	for name, h := range map[string]func(time.Time) float64{
		"no hiring": nil,
		"hiring":    func(time.Time) float64 { return 1 },
	} {
		t.Run(name, func(t *testing.T) {
			s := trendstest.NewServer(trendstest.Options{Seed: 1, Now: now, Hiring: h})
			t.Cleanup(s.Close)
			_, ml := exploreAndMultiline(t, s.URL, []string{"SQL"}, "2026-01-01 2026-11-20")
			if _, _, syn := timeline(t, ml); syn != true {
				t.Errorf("default.syntheticData = %v, want true", syn)
			}
		})
	}
}

// TestHiringFollowsSaraminMarket wires the Saramin emulator's data hiring
// (data share 3% → 9% over its 400 days of history): 데이터 엔지니어
// (weight 1) gains about 2.7-fold against 정보처리기사 from the weeks before
// the history (plus the lag) to its last weeks.
func TestHiringFollowsSaraminMarket(t *testing.T) {
	t.Parallel()
	market, err := saramintest.New(saramintest.Options{Seed: 42, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	weeks, q := liftOfHiring(t, 42, market.DataHiring, []string{"데이터 엔지니어", "정보처리기사"}, "2024-11-20 2026-11-20")

	flatUntil := market.HistoryStart().AddDate(0, 0, 28)
	var before []float64
	for i, w := range weeks {
		if w.Before(flatUntil) {
			before = append(before, q[i])
		}
	}
	last := q[len(q)-8:]
	if len(before) < 8 {
		t.Fatalf("%d weeks before the history", len(before))
	}
	if r := mean(last) / mean(before); r < 2.2 || r > 3.2 {
		t.Errorf("데이터 엔지니어 gained %.2f-fold against 정보처리기사, want about 2.7", r)
	}
}
