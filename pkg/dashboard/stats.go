package dashboard

import (
	"math"
	"math/rand/v2"
)

// Lag is the correlation of two weekly series with the first shifted: at
// Weeks k > 0 the first leads the second by k weeks.
type Lag struct {
	Weeks int     `json:"weeks"`
	R     float64 `json:"r"`
	N     int     `json:"n"` // pairs compared
	// Significant: r is beyond what chance gives at p < 0.05 (two-sided)
	// for N pairs. With 17 lags looked at, one may pass by chance.
	Significant bool `json:"significant"`
}

// minPairs is the fewest pairs a correlation is computed from.
const minPairs = 20

// LaggedCorrelations correlates lead with follow shifted by -max..max
// weeks (Pearson). Lags with fewer than minPairs pairs, or a constant
// side, are left out. Missing values are NaN.
func LaggedCorrelations(lead, follow []float64, max int) []Lag {
	var out []Lag
	for k := -max; k <= max; k++ {
		xs, ys := lagPairs(lead, follow, k)
		if len(xs) < minPairs {
			continue
		}
		if r, ok := pearson(xs, ys); ok {
			out = append(out, Lag{Weeks: k, R: r, N: len(xs), Significant: significant(r, len(xs))})
		}
	}
	return out
}

// significant reports whether a correlation r over n pairs is beyond what
// chance gives at p < 0.05, two-sided: |r| > t / sqrt(n - 2 + t²).
func significant(r float64, n int) bool {
	t := tCritical(n - 2)
	return math.Abs(r) > t/math.Sqrt(float64(n-2)+t*t)
}

// Strongest is the lag at which the two series move together most: the
// largest positive r (the zero Lag when no lag has one). A negative r at
// some lag is not a lead of one indicator over the other.
func Strongest(lags []Lag) Lag {
	var best Lag
	for _, l := range lags {
		if l.R > best.R {
			best = l
		}
	}
	return best
}

// Lead-lag readings: how much history, how many lags, how many refreshes.
const (
	// MinWeeks is the fewest whole weeks of overlap a lead-lag reading is
	// made from, at each cut-off: 30 weeks give 29 week-to-week changes, so
	// every lag up to MaxLag keeps at least minPairs pairs.
	MinWeeks = 30
	// MaxLag is the longest lead looked at, either way, in weeks.
	MaxLag = 8
	// Cutoffs is how many weekly cut-offs a relation must hold at: the
	// last complete week, and the one, two and three weeks before.
	Cutoffs = 4
	// Replicates is the number of bootstrap resamples behind an interval.
	Replicates = 4000
	// Level is the confidence of an interval, for all the lags looked at
	// together (see BootstrapR).
	Level = 0.95
)

// lagSeed seeds the bootstrap: the same weeks always give the same
// interval.
const lagSeed = 0x6a6f6270756c7365

// BlockLength is the moving-block bootstrap's block for n weekly pairs:
// n^(1/3), rounded, at least 2. The week-to-week changes are not
// independent (a change is followed by a change back; holidays and the
// hiring season span a few weeks), so weeks are resampled in runs that
// keep that dependence; a block of order n^(1/3) is the one that
// minimizes the error of the bootstrap's variance (Hall, Horowitz and
// Jing, 1995), and for the 30 to 150 weeks the dashboard sees it is 3 to
// 5 weeks: longer than the dependence of the changes, short enough to
// leave a dozen or more blocks to draw from.
func BlockLength(n int) int {
	return max(2, int(math.Round(math.Cbrt(float64(n)))))
}

// BootstrapR is an interval for the correlation r of the pairs (xs[i],
// ys[i]), taken in time order, with the moving-block bootstrap giving its
// standard error: replicates resamples, each of ceil(n/block) runs of
// block consecutive pairs drawn with replacement from the n-block+1 runs
// there are and cut to n pairs. The interval is normal on Fisher's scale,
// atanh(r) ± q·s with s the resamples' standard deviation of atanh(r*)
// (at least what two unrelated series with the same dependence over
// weeks give, see bartlett), mapped back: on that scale the spread hardly depends on r, whereas the
// resamples' own percentiles narrow as r grows, so the best of several
// lags, whose r is the largest by selection, would look surer than it is.
// q covers level for all of lags correlations looked at together
// (Bonferroni: each tail holds (1-level)/(2·lags)). The same seed gives
// the same interval. ok is false with fewer than 2·block pairs or when
// too few resamples vary.
func BootstrapR(xs, ys []float64, block, replicates, lags int, level float64, seed uint64) (lo, hi float64, ok bool) {
	n := len(xs)
	if n < 2*block || block < 1 || len(ys) != n {
		return 0, 0, false
	}
	r, ok := pearson(xs, ys)
	if !ok {
		return 0, 0, false
	}
	rng := rand.New(rand.NewPCG(seed, uint64(n)<<32|uint64(block)))
	// A resample's correlation needs only its sums of x, y, x², y² and
	// xy: prefix sums of the (centred) pairs give each run's in O(1).
	mx, my := mean(xs), mean(ys)
	var pre [5][]float64
	for k := range pre {
		pre[k] = make([]float64, n+1)
	}
	for i := range n {
		x, y := xs[i]-mx, ys[i]-my
		for k, v := range [5]float64{x, y, x * x, y * y, x * y} {
			pre[k][i+1] = pre[k][i] + v
		}
	}
	starts, fn := n-block+1, float64(n)
	var zs []float64
	for range replicates {
		var sum [5]float64
		for i := 0; i < n; {
			s, l := rng.IntN(starts), min(block, n-i)
			for k := range sum {
				sum[k] += pre[k][s+l] - pre[k][s]
			}
			i += l
		}
		sxx, syy := fn*sum[2]-sum[0]*sum[0], fn*sum[3]-sum[1]*sum[1]
		if sxx <= 0 || syy <= 0 {
			continue
		}
		zs = append(zs, fisher((fn*sum[4]-sum[0]*sum[1])/math.Sqrt(sxx*syy)))
	}
	if len(zs) < replicates/2 {
		return 0, 0, false
	}
	m := mean(zs)
	var ss float64
	for _, z := range zs {
		ss += (z - m) * (z - m)
	}
	// Never surer than two unrelated series with these weeks' own
	// dependence would make it: Bartlett's variance of a correlation
	// between independent series, (1 + 2·Σ ρx(h)·ρy(h)) / n over the
	// lags h within a block, on Fisher's scale. The blocks are to widen
	// the interval for weeks that hang together; a resample that happens
	// to vary little must not narrow it.
	sd := max(math.Sqrt(ss/float64(len(zs)-1)), math.Sqrt(bartlett(xs, ys, block)/float64(n-3)))
	tail := (1 - level) / 2 / float64(max(lags, 1))
	q := math.Sqrt2 * math.Erfinv(1-2*tail) // the normal's 1-tail quantile
	z := fisher(r)
	return math.Tanh(z - q*sd), math.Tanh(z + q*sd), true
}

// bartlett is the factor by which the dependence of each series on its
// own past weeks widens the spread of their correlation when they are
// unrelated: 1 + 2·Σ ρx(h)·ρy(h) for h = 1..lags (at least 1; Bartlett,
// 1935).
func bartlett(xs, ys []float64, lags int) float64 {
	f := 1.0
	for h := 1; h <= lags && h < len(xs)-1; h++ {
		f += 2 * autocorr(xs, h) * autocorr(ys, h)
	}
	return max(f, 1)
}

// autocorr is the sample autocorrelation of xs at lag h.
func autocorr(xs []float64, h int) float64 {
	m := mean(xs)
	var num, den float64
	for i, x := range xs {
		den += (x - m) * (x - m)
		if i >= h {
			num += (x - m) * (xs[i-h] - m)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// fisher is Fisher's z of a correlation, kept finite at ±1.
func fisher(r float64) float64 {
	return math.Atanh(math.Max(-0.999999, math.Min(0.999999, r)))
}

// lagPairs are the pairs (lead[t-k], follow[t]) with neither missing, in
// time order.
func lagPairs(lead, follow []float64, k int) (xs, ys []float64) {
	for t := range follow {
		s := t - k
		if s < 0 || s >= len(lead) || math.IsNaN(lead[s]) || math.IsNaN(follow[t]) {
			continue
		}
		xs, ys = append(xs, lead[s]), append(ys, follow[t])
	}
	return xs, ys
}

// LeadLag is whether one weekly series leads another, read at Cutoffs
// weekly cut-offs.
type LeadLag struct {
	MinWeeks   int     `json:"min_weeks"`  // whole weeks each cut-off needs
	MaxLag     int     `json:"max_lag"`    // weeks looked at either way
	Level      float64 `json:"level"`      // of the intervals, for all lags together
	Replicates int     `json:"replicates"` // bootstrap resamples per interval
	// Stable: at every cut-off there were MinWeeks whole weeks, the
	// strongest lag was the same and its interval excluded 0. Only then is
	// the lag a finding.
	Stable  bool     `json:"stable"`
	Cutoffs []Cutoff `json:"cutoffs"` // the latest first
}

// Cutoff is the reading with the last Dropped whole weeks left out.
type Cutoff struct {
	Dropped int    `json:"dropped"`
	Through string `json:"through,omitempty"` // the last week compared (its Monday)
	Weeks   int    `json:"weeks"`             // whole weeks compared
	// Best is the strongest positive lag (N = 0: none, or too few weeks);
	// Lo and Hi its interval; Block the bootstrap's block in weeks.
	Best  Lag     `json:"best"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Block int     `json:"block"`
	// Holds: enough weeks, a positive lag and an interval above 0.
	Holds bool `json:"holds"`
}

// ReadLeadLag reads whether lead leads follow (weekly levels, NaN where
// missing, in time order; weeks names each week) by the correlation of
// their week-to-week changes: at each of Cutoffs cut-offs, dropping the
// last 0, 1, 2 and 3 weeks, the strongest positive lag within MaxLag
// weeks and its bootstrap interval. Correlations are the lags at the
// latest cut-off.
func ReadLeadLag(weeks []string, lead, follow []float64) (LeadLag, []Lag) {
	ll := LeadLag{MinWeeks: MinWeeks, MaxLag: MaxLag, Level: Level, Replicates: Replicates, Stable: true}
	var latest []Lag
	lags := 2*MaxLag + 1
	var first Lag
	for c := range Cutoffs {
		n := len(follow) - c
		cut := Cutoff{Dropped: c, Weeks: max(n, 0)}
		if n > 0 {
			cut.Through = weeks[n-1]
		}
		if n >= MinWeeks {
			dl, df := diff(lead[:n]), diff(follow[:n])
			corr := LaggedCorrelations(dl, df, MaxLag)
			if c == 0 {
				latest = corr
			}
			if cut.Best = Strongest(corr); cut.Best.N > 0 {
				xs, ys := lagPairs(dl, df, cut.Best.Weeks)
				cut.Block = BlockLength(len(xs))
				var ok bool
				cut.Lo, cut.Hi, ok = BootstrapR(xs, ys, cut.Block, Replicates, lags, Level, lagSeed+uint64(c))
				cut.Holds = ok && cut.Lo > 0
			}
		}
		if c == 0 {
			first = cut.Best
		}
		if !cut.Holds || cut.Best.Weeks != first.Weeks {
			ll.Stable = false
		}
		ll.Cutoffs = append(ll.Cutoffs, cut)
	}
	return ll, latest
}

func pearson(xs, ys []float64) (float64, bool) {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// Outlook is a straight-line forecast of a weekly series with its 95%
// prediction band.
type Outlook struct {
	Basis    int         `json:"basis"` // weeks fitted
	Slope    float64     `json:"slope"` // per week
	Points   []Predicted `json:"points"`
	TooShort bool        `json:"too_short"` // fewer than MinHistory weeks: do not trust it
}

// Predicted is one forecast week.
type Predicted struct {
	Ahead int     `json:"ahead"` // weeks after the last observed
	Mid   float64 `json:"mid"`
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
}

// MinHistory is the history an outlook needs before it is worth reading.
const MinHistory = 26

// Forecast fits a line to the last `basis` values of ys (all, when fewer)
// by least squares and extends it `ahead` weeks, with the band
// ±t·s·sqrt(1 + 1/n + (x−x̄)²/Sxx) of a prediction from a line (t: Student's
// 97.5% quantile with n−2 degrees of freedom); values
// below zero are cut at zero. Fewer than 3 values give no points.
func Forecast(ys []float64, basis, ahead int) Outlook {
	if len(ys) > basis {
		ys = ys[len(ys)-basis:]
	}
	o := Outlook{Basis: len(ys), TooShort: len(ys) < MinHistory}
	n := float64(len(ys))
	if len(ys) < 3 {
		return o
	}
	var mx, my float64
	for i, y := range ys {
		mx += float64(i)
		my += y
	}
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for i, y := range ys {
		dx := float64(i) - mx
		sxy += dx * (y - my)
		sxx += dx * dx
	}
	b := sxy / sxx
	a := my - b*mx
	var sse float64
	for i, y := range ys {
		e := y - (a + b*float64(i))
		sse += e * e
	}
	s := math.Sqrt(sse / (n - 2))
	o.Slope = b
	for h := 1; h <= ahead; h++ {
		x := n - 1 + float64(h)
		mid := a + b*x
		half := tCritical(len(ys)-2) * s * math.Sqrt(1+1/n+(x-mx)*(x-mx)/sxx)
		o.Points = append(o.Points, Predicted{Ahead: h, Mid: math.Max(mid, 0), Lo: math.Max(mid-half, 0), Hi: math.Max(mid+half, 0)})
	}
	return o
}

// tTable holds Student's t 97.5% quantiles for 1 to 30 degrees of freedom.
var tTable = [...]float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}

// tCritical is the two-sided 95% critical value of Student's t with df
// degrees of freedom (the normal 1.96 beyond the table, within 2%
// from 60 on).
func tCritical(df int) float64 {
	switch {
	case df < 1:
		return math.Inf(1)
	case df <= len(tTable):
		return tTable[df-1]
	case df <= 60:
		return 2.000
	}
	return 1.96
}
