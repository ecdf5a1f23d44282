package dashboard

import (
	"math"
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
		var xs, ys []float64
		for t := range follow {
			s := t - k
			if s < 0 || s >= len(lead) || math.IsNaN(lead[s]) || math.IsNaN(follow[t]) {
				continue
			}
			xs, ys = append(xs, lead[s]), append(ys, follow[t])
		}
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
