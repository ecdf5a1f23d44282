package dashboard

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestBlockLength(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ n, want int }{{0, 2}, {5, 2}, {20, 3}, {29, 3}, {45, 4}, {64, 4}, {125, 5}, {150, 5}, {400, 7}} {
		if got := BlockLength(tc.n); got != tc.want {
			t.Errorf("BlockLength(%d) = %d; want %d", tc.n, got, tc.want)
		}
	}
}

// series is n weeks of a random walk's steps with the given seed.
func series(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]float64, n)
	for i := range out {
		out[i] = rng.NormFloat64()
	}
	return out
}

func TestBootstrapR(t *testing.T) {
	t.Parallel()
	x := series(60, 1)
	related, noise := make([]float64, 60), series(60, 2)
	for i := range x {
		related[i] = x[i] + 0.5*noise[i] // r about 0.9
	}
	tests := []struct {
		name        string
		xs, ys      []float64
		block, lags int
		ok          bool
		above0      bool // the interval lies above 0
		holds0      bool // the interval holds 0
	}{
		{"a strong relation is above 0", x, related, 4, 17, true, true, false},
		{"independent series hold 0", x, noise, 4, 17, true, false, true},
		{"independent series hold 0 for one lag too", x, noise, 4, 1, true, false, true},
		{"too few pairs for two blocks", x[:7], related[:7], 4, 1, false, false, false},
		{"a constant series", make([]float64, 60), related, 4, 1, false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, ok := BootstrapR(tc.xs, tc.ys, tc.block, Replicates, tc.lags, Level, 7)
			if ok != tc.ok {
				t.Fatalf("ok = %v (%v, %v); want %v", ok, lo, hi, tc.ok)
			}
			if !ok {
				return
			}
			r, _ := pearson(tc.xs, tc.ys)
			if lo > r || hi < r || lo < -1 || hi > 1 {
				t.Errorf("interval %.3f–%.3f does not hold the sample's r %.3f within [-1, 1]", lo, hi, r)
			}
			if tc.above0 && lo <= 0 || tc.holds0 && (lo > 0 || hi < 0) {
				t.Errorf("interval %.3f–%.3f (r %.3f)", lo, hi, r)
			}
			// The same seed gives the same interval; another seed nearly so.
			if lo2, hi2, _ := BootstrapR(tc.xs, tc.ys, tc.block, Replicates, tc.lags, Level, 7); lo2 != lo || hi2 != hi {
				t.Errorf("the same seed gave %v–%v, then %v–%v", lo, hi, lo2, hi2)
			}
			if lo3, hi3, _ := BootstrapR(tc.xs, tc.ys, tc.block, Replicates, tc.lags, Level, 8); math.Abs(lo3-lo) > 0.1 || math.Abs(hi3-hi) > 0.1 {
				t.Errorf("another seed moved the interval from %.3f–%.3f to %.3f–%.3f: too few resamples", lo, hi, lo3, hi3)
			}
		})
	}
	// Looking at more lags widens the interval.
	lo1, hi1, _ := BootstrapR(x, noise, 4, Replicates, 1, Level, 7)
	lo17, hi17, _ := BootstrapR(x, noise, 4, Replicates, 17, Level, 7)
	if !(lo17 < lo1 && hi17 > hi1) {
		t.Errorf("17 lags give %.3f–%.3f, one %.3f–%.3f; want it wider", lo17, hi17, lo1, hi1)
	}
}

// lagged is weekly levels of a leading series and a follower that moves
// with it `lag` weeks later (postings lead interest when lag < 0, as in
// ReadLeadLag's convention: positive lags are interest leading), with
// noise of the given size, over n weeks.
func lagged(n, lag int, noise float64, seed uint64) (weeks []string, interest, postings []float64) {
	steps := series(n+20, seed)
	eps := series(n+20, seed+1000)
	level := 100.0
	var driver []float64
	for _, s := range steps {
		level += 10 * s
		driver = append(driver, level)
	}
	for i := range n {
		weeks = append(weeks, fmt.Sprintf("w%03d", i))
		// interest[t] = driver[t+10], postings[t] = driver[t+10-lag] + noise
		interest = append(interest, driver[i+10])
		postings = append(postings, driver[i+10-lag]+noise*10*eps[i])
	}
	return weeks, interest, postings
}

func TestReadLeadLag(t *testing.T) {
	t.Parallel()
	t.Run("a true lag is stable", func(t *testing.T) {
		for _, lag := range []int{-4, 0, 3} {
			weeks, interest, postings := lagged(60, lag, 0.6, 3)
			ll, corr := ReadLeadLag(weeks, interest, postings)
			t.Logf("lag %d: r %.2f, %.2f–%.2f", lag, ll.Cutoffs[0].Best.R, ll.Cutoffs[0].Lo, ll.Cutoffs[0].Hi)
			if !ll.Stable || len(ll.Cutoffs) != Cutoffs || len(corr) != 2*MaxLag+1 {
				t.Fatalf("lag %d: %+v; want stable at %d cut-offs, %d lags", lag, ll, Cutoffs, 2*MaxLag+1)
			}
			for i, c := range ll.Cutoffs {
				if c.Dropped != i || c.Weeks != 60-i || c.Through != weeks[59-i] || c.Best.Weeks != lag || !c.Holds || c.Lo <= 0 || c.Hi < c.Best.R || c.Block != 4 {
					t.Errorf("lag %d, cut-off %d: %+v", lag, i, c)
				}
			}
		}
	})
	t.Run("noise is not", func(t *testing.T) {
		// Independent walks: at most a chance few of 40 may pass (the
		// intervals cover 95% for all 17 lags together), and each pass
		// needs all four cut-offs.
		stable := 0
		for seed := range uint64(40) {
			weeks, interest, _ := lagged(60, 0, 0, 100+seed)
			_, postings, _ := lagged(60, 0, 0, 500+seed)
			if ll, _ := ReadLeadLag(weeks, interest, postings); ll.Stable {
				stable++
			}
		}
		t.Logf("%d of 40 pairs of independent series read as stable", stable)
		if stable > 2 {
			t.Errorf("%d of 40 pairs of independent series read as stable", stable)
		}
	})
	t.Run("too few weeks", func(t *testing.T) {
		// MinWeeks+2 weeks: the earliest cut-off has fewer than MinWeeks.
		weeks, interest, postings := lagged(MinWeeks+2, -2, 0.1, 4)
		ll, _ := ReadLeadLag(weeks, interest, postings)
		if ll.Stable || ll.MinWeeks != MinWeeks {
			t.Errorf("%+v; want not stable", ll)
		}
		if c := ll.Cutoffs; !c[0].Holds || !c[2].Holds || c[2].Weeks != MinWeeks || c[3].Holds || c[3].Weeks != MinWeeks-1 || c[3].Best.N != 0 {
			t.Errorf("cut-offs %+v; want the three latest read, the earliest short", c)
		}
	})
	t.Run("missing weeks are skipped", func(t *testing.T) {
		weeks, interest, postings := lagged(70, 2, 0.4, 5)
		interest[20], interest[40] = math.NaN(), math.NaN()
		ll, _ := ReadLeadLag(weeks, interest, postings)
		if !ll.Stable || ll.Cutoffs[0].Best.Weeks != 2 {
			t.Errorf("%+v", ll)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		ll, corr := ReadLeadLag(nil, nil, nil)
		if ll.Stable || len(ll.Cutoffs) != Cutoffs || len(corr) != 0 || ll.Cutoffs[0].Through != "" {
			t.Errorf("%+v %v", ll, corr)
		}
	})
}
