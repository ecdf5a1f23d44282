package dashboard

import (
	"math"
	"testing"
)

func TestLaggedCorrelations(t *testing.T) {
	t.Parallel()
	// follow is lead three weeks later: the strongest lag is +3, r = 1.
	var lead, follow []float64
	for i := range 60 {
		lead = append(lead, math.Sin(float64(i)/3)+float64(i%7)/10)
	}
	for i := range 60 {
		if i < 3 {
			follow = append(follow, math.NaN())
			continue
		}
		follow = append(follow, 2*lead[i-3]+5)
	}
	lags := LaggedCorrelations(lead, follow, 8)
	best := Strongest(lags)
	if best.Weeks != 3 || math.Abs(best.R-1) > 1e-9 || best.N != 57 || !best.Significant {
		t.Errorf("strongest lag %+v; want +3 weeks, r=1 over 57 pairs", best)
	}
	if len(lags) != 17 {
		t.Errorf("%d lags; want -8..8", len(lags))
	}
	// Too few pairs, or a constant series: nothing.
	if got := LaggedCorrelations(lead[:10], follow[:10], 2); len(got) != 0 {
		t.Errorf("10 weeks gave %v; want no lag", got)
	}
	flat := make([]float64, 40)
	if got := LaggedCorrelations(flat, lead[:40], 1); len(got) != 0 {
		t.Errorf("a constant series gave %v", got)
	}
}

func TestForecast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		ys        []float64
		slope     float64
		tooShort  bool
		points    int
		firstMid  float64
		bandWider bool
	}{
		{"a straight line continues, with no band", line(30, 10, 2), 2, false, 8, 10 + 2*30, false},
		{"noise widens the band with the distance", noisy(30), 1, false, 8, 0, true},
		{"a short history is flagged", line(5, 3, 1), 1, true, 8, 8, false},
		{"two weeks give no outlook", []float64{1, 2}, 0, true, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Forecast(tc.ys, 26, 8)
			if len(o.Points) != tc.points || o.TooShort != tc.tooShort {
				t.Fatalf("%+v", o)
			}
			if tc.points == 0 {
				return
			}
			if math.Abs(o.Slope-tc.slope) > 0.2 {
				t.Errorf("slope %v; want about %v", o.Slope, tc.slope)
			}
			if tc.firstMid != 0 && math.Abs(o.Points[0].Mid-tc.firstMid) > 1e-9 {
				t.Errorf("first forecast %v; want %v", o.Points[0].Mid, tc.firstMid)
			}
			first, last := o.Points[0], o.Points[len(o.Points)-1]
			if first.Lo > first.Mid || first.Hi < first.Mid {
				t.Errorf("band %v–%v does not hold %v", first.Lo, first.Hi, first.Mid)
			}
			if tc.bandWider && !(last.Hi-last.Lo > first.Hi-first.Lo) {
				t.Errorf("band does not widen: %v then %v", first.Hi-first.Lo, last.Hi-last.Lo)
			}
		})
	}
}

// line is a+b·i for i < n.
func line(n int, a, b float64) []float64 {
	var ys []float64
	for i := range n {
		ys = append(ys, a+b*float64(i))
	}
	return ys
}

// noisy is a slope of 1 with a fixed wobble.
func noisy(n int) []float64 {
	var ys []float64
	for i := range n {
		ys = append(ys, 50+float64(i)+[]float64{3, -2, 4, -5, 1}[i%5])
	}
	return ys
}

func TestSignificance(t *testing.T) {
	t.Parallel()
	// r = 0.4 over 20 pairs is within chance (critical r 0.444); over 40
	// pairs it is not (0.312).
	tests := []struct {
		n    int
		r    float64
		want bool
	}{{20, 0.40, false}, {20, 0.50, true}, {40, 0.40, true}, {40, 0.25, false}}
	for _, tc := range tests {
		for _, r := range []float64{tc.r, -tc.r} { // two-sided
			if got := significant(r, tc.n); got != tc.want {
				t.Errorf("n=%d r=%v: significant %v; want %v", tc.n, r, got, tc.want)
			}
		}
	}
	if tCritical(4) != 2.776 || tCritical(100) != 1.96 || !math.IsInf(tCritical(0), 1) {
		t.Error("t table")
	}
}
