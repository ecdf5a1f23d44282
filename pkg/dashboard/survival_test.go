package dashboard

import (
	"fmt"
	"math"
	"testing"
)

// obs is a textbook sample: each time, and whether it ended (false:
// censored there).
type obs struct {
	days  int
	ended bool
}

func tallyOf(sample []obs) tally {
	var t tally
	for _, o := range sample {
		t.add(o.days, o.ended, 1)
	}
	return t
}

// sixMP is the 6-mercaptopurine arm of Freireich et al. (1963), weeks in
// remission, + censored: 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23
// 25+ 32+ 32+ 34+ 35+ (Klein & Moeschberger, Survival Analysis, table
// 4.1A; Kleinbaum & Klein, chapter 2).
var sixMP = []obs{{6, true}, {6, true}, {6, true}, {6, false}, {7, true}, {9, false}, {10, true}, {10, false}, {11, false},
	{13, true}, {16, true}, {17, false}, {19, false}, {20, false}, {22, true}, {23, true}, {25, false}, {32, false}, {32, false},
	{34, false}, {35, false}}

// small is worked by hand below: days 1, 2, 2, 2+, 3+, 4, 5+.
var small = []obs{{1, true}, {2, true}, {2, true}, {2, false}, {3, false}, {4, true}, {5, false}}

func TestKaplanMeier(t *testing.T) {
	type want struct {
		day           int
		atRisk, d, c  int64
		s, se         float64 // se: Greenwood's √V
		lower, upper  float64 // log-log 95%
		checkInterval bool
		checkSE       bool
	}
	tests := []struct {
		name   string
		sample []obs
		steps  int
		want   []want
	}{
		{
			// By hand. Day 1: n=7, d=1, S=6/7=0.857143, Σ=1/(7·6)=1/42.
			// Day 2: n=6, d=2, c=1: S=6/7·4/6=4/7=0.571429,
			// Σ=1/42+2/(6·4)=9/84=3/28, V=(4/7)²·3/28=12/343=0.034985,
			// se=0.187043; σ=√(3/28)/|ln(4/7)|=0.327327/0.559616=0.584913,
			// lower=(4/7)^exp(1.96·0.584913)=(4/7)^3.1469=0.1719,
			// upper=(4/7)^exp(−1.96·0.584913)=(4/7)^0.31777=0.8371.
			// Day 3: n=3, one censored, S unchanged. Day 4: n=2, d=1:
			// S=4/7·1/2=2/7=0.285714, Σ=3/28+1/(2·1)=17/28,
			// V=(2/7)²·17/28=17/343=0.049563, se=0.222628. Day 5: n=1,
			// censored.
			name: "small", sample: small, steps: 6,
			want: []want{
				{0, 7, 0, 0, 1, 0, 1, 1, true, true},
				{1, 7, 1, 0, 6.0 / 7, math.Sqrt(6.0 / 7 * 6.0 / 7 / 42), 0, 0, false, true},
				{2, 6, 2, 1, 4.0 / 7, math.Sqrt(12.0 / 343), 0.1719, 0.8371, true, true},
				{3, 3, 0, 1, 4.0 / 7, math.Sqrt(12.0 / 343), 0, 0, false, true},
				{4, 2, 1, 0, 2.0 / 7, math.Sqrt(17.0 / 343), 0, 0, false, true},
				{5, 1, 0, 1, 2.0 / 7, 0, 0, 0, false, false},
			},
		},
		{
			// The textbook's table: S(6)=18/21=0.8571 (se 0.0764),
			// S(7)=0.8067 (0.0869), S(10)=0.7529 (0.0963), S(13)=0.6902
			// (0.1068), S(16)=0.6275 (0.1141), S(22)=0.5378 (0.1282),
			// S(23)=0.4482 (0.1346). The log-log bounds at 10 and 13 decide
			// the median's interval: at 10, σ=√(3/378+1/272+1/210)/|ln
			// 0.752941|=0.127964/0.283768=0.450945, lower =
			// 0.752941^exp(1.96·0.450945)=0.752941^2.4202=0.5032 (above
			// one half); at 13, σ=√(Σ+1/132)/|ln 0.690196|=0.154760/0.370780
			// =0.417391, lower=0.690196^2.2661=0.4316.
			name: "6-MP", sample: sixMP, steps: 17, // day 0 and the 16 distinct times
			want: []want{
				{6, 21, 3, 1, 0.8571, 0.0764, 0, 0, false, true},
				{7, 17, 1, 0, 0.8067, 0.0869, 0, 0, false, true},
				{10, 15, 1, 1, 0.7529, 0.0963, 0.5032, 0.8894, true, true},
				{13, 12, 1, 0, 0.6902, 0.1068, 0.4316, 0.8491, true, true},
				{16, 11, 1, 0, 0.6275, 0.1141, 0, 0, false, true},
				{22, 7, 1, 0, 0.5378, 0.1282, 0, 0, false, true},
				{23, 6, 1, 0, 0.4482, 0.1346, 0.1881, 0.6801, true, true},
				{32, 4, 0, 2, 0.4482, 0.1346, 0, 0, false, true},
			},
		},
		{
			// Every posting closes: the last at risk closing takes S to 0
			// (Greenwood's sum is infinite there; the interval is 0).
			name: "all close", sample: []obs{{0, true}, {3, true}}, steps: 2,
			want: []want{{0, 2, 1, 0, 0.5, 0.5 * math.Sqrt(1.0/2), 0, 0, false, true}, {3, 1, 1, 0, 0, 0, 0, 0, true, false}},
		},
		{
			name: "none closes", sample: []obs{{2, false}, {9, false}}, steps: 3,
			want: []want{{0, 2, 0, 0, 1, 0, 1, 1, true, true}, {2, 2, 0, 1, 1, 0, 1, 1, true, true}, {9, 1, 0, 1, 1, 0, 1, 1, true, true}},
		},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-4 }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			steps := kaplanMeier(tallyOf(tc.sample))
			if len(steps) != tc.steps {
				t.Fatalf("%d steps; want %d: %+v", len(steps), tc.steps, steps)
			}
			at := map[int]Step{}
			for _, s := range steps {
				at[s.Day] = s
			}
			for _, w := range tc.want {
				s, ok := at[w.day]
				if !ok {
					t.Errorf("no step at day %d", w.day)
					continue
				}
				if s.AtRisk != w.atRisk || s.Events != w.d || s.Censored != w.c || !near(s.Survival, w.s) {
					t.Errorf("day %d: n=%d d=%d c=%d S=%.4f; want n=%d d=%d c=%d S=%.4f", w.day, s.AtRisk, s.Events, s.Censored, s.Survival, w.atRisk, w.d, w.c, w.s)
				}
				if w.checkSE && !near(math.Sqrt(s.variance), w.se) {
					t.Errorf("day %d: Greenwood se %.4f; want %.4f", w.day, math.Sqrt(s.variance), w.se)
				}
				if w.checkInterval && (!near(s.Lower, w.lower) || !near(s.Upper, w.upper)) {
					t.Errorf("day %d: interval %.4f–%.4f; want %.4f–%.4f", w.day, s.Lower, s.Upper, w.lower, w.upper)
				}
			}
		})
	}
}

func TestMedian(t *testing.T) {
	str := func(p *int) string {
		if p == nil {
			return "null"
		}
		return fmt.Sprint(*p)
	}
	tests := []struct {
		name   string
		sample []obs
		want   string // days lower upper
	}{
		// S(22)=0.5378 > 1/2 ≥ S(23)=0.4482: the median is 23 weeks. The
		// lower bound first falls to 1/2 at 13 (0.4316; 0.5032 at 10); the
		// upper bound never does (0.6801 at the last close): R's survfit
		// with conf.type="log-log" prints 23, 13, NA.
		{"6-MP", sixMP, "23 13 null"},
		// S(2)=4/7 > 1/2 ≥ S(4)=2/7: 4. Lower bound: 0.3341 at day 1;
		// upper: 0.8371 at 2, 0.6906 at 4, never at most 1/2.
		{"small", small, "4 1 null"},
		// S falls to exactly 1/2 on day 2 of four closes at 1, 2, 3, 4:
		// the first day at most one half.
		{"exactly half", []obs{{1, true}, {2, true}, {3, true}, {4, true}}, "2 1 4"},
		// Most still open: S stays at 3/4, no median (a recent cohort);
		// its lower bound, 0.75^exp(1.96·√(1/12)/|ln 0.75|)=0.1283, says
		// the median may be as short as a day.
		{"censored", []obs{{1, true}, {5, false}, {5, false}, {6, false}}, "null 1 null"},
		{"nothing", nil, "null null null"},
	}
	for _, tc := range tests {
		m := medianOf(kaplanMeier(tallyOf(tc.sample)))
		if got := str(m.Days) + " " + str(m.Lower) + " " + str(m.Upper); got != tc.want {
			t.Errorf("%s: median %s; want %s", tc.name, got, tc.want)
		}
	}
}
