package dashboard

import "math"

// z95 is the standard normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054

// tally counts, by whole days open, the postings that ended (events) and
// those still open when last seen (censored) after that many days.
type tally struct {
	events, censored []int64
}

// add counts n postings open for days days, ended or censored.
func (t *tally) add(days int, ended bool, n int64) {
	for len(t.events) <= days {
		t.events, t.censored = append(t.events, 0), append(t.censored, 0)
	}
	if ended {
		t.events[days] += n
	} else {
		t.censored[days] += n
	}
}

// merge adds o's counts to t's.
func (t *tally) merge(o tally) {
	for day := range o.events {
		t.add(day, true, o.events[day])
		t.add(day, false, o.censored[day])
	}
}

// Step is the Kaplan-Meier estimate at one day: how many postings were
// still open at its start (at risk), how many closed on it (events) and how
// many were last seen open on it (censored: still open at the warehouse
// clock), and the share still open after it with its 95% pointwise
// interval (log-log).
type Step struct {
	Day      int     `json:"day"`
	AtRisk   int64   `json:"at_risk"`
	Events   int64   `json:"events"`
	Censored int64   `json:"censored"`
	Survival float64 `json:"survival"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	// variance is Greenwood's estimate of the variance of Survival
	// (+Inf once the last posting at risk has closed).
	variance float64
}

// kaplanMeier estimates the share of postings still open after each day
// from t: S(t) = Π_{s≤t} (1 − d_s/n_s), where n_s counts the postings open
// at the start of day s (censored ones stay at risk through the day they
// were last seen: on a day with both, closes come first, as is usual). It
// gives a step for day 0 and for every day on which a posting closed or was
// censored. The variance is Greenwood's, V(t) = S(t)² Σ_{s≤t} d_s/(n_s(n_s−d_s));
// the interval is the log-log one, S(t)^exp(±z·σ(t)) with
// σ(t) = √(Σ d_s/(n_s(n_s−d_s))) / |ln S(t)|, which stays within 0 and 1.
func kaplanMeier(t tally) []Step {
	var n int64
	for i := range t.events {
		n += t.events[i] + t.censored[i]
	}
	var steps []Step
	s, sum := 1.0, 0.0
	for day := range t.events {
		d, c := t.events[day], t.censored[day]
		if day > 0 && d == 0 && c == 0 {
			continue
		}
		if d > 0 {
			s *= 1 - float64(d)/float64(n)
			if n > d {
				sum += float64(d) / (float64(n) * float64(n-d))
			} else {
				sum = math.Inf(1)
			}
		}
		st := Step{Day: day, AtRisk: n, Events: d, Censored: c, Survival: s, variance: s * s * sum}
		st.Lower, st.Upper = logLog(s, sum)
		if math.IsInf(sum, 1) {
			st.variance = math.Inf(1)
		}
		steps = append(steps, st)
		n -= d + c
	}
	if len(steps) == 0 {
		steps = []Step{{Survival: 1, Lower: 1, Upper: 1}}
	}
	return steps
}

// logLog is the 95% log-log interval of a survival estimate s whose
// Greenwood sum is sum: exact where s is 1 (nothing closed yet) or 0.
func logLog(s, sum float64) (lower, upper float64) {
	if s >= 1 || s <= 0 || math.IsInf(sum, 1) {
		return s, s
	}
	sigma := math.Sqrt(sum) / math.Abs(math.Log(s))
	return math.Pow(s, math.Exp(z95*sigma)), math.Pow(s, math.Exp(-z95*sigma))
}

// Median is the median days open with its 95% interval; each is null
// when the curve (or the interval's bound) never falls to one half.
type Median struct {
	Days  *int `json:"days"`
	Lower *int `json:"lower"`
	Upper *int `json:"upper"`
}

// medianOf reads the median from a Kaplan-Meier curve: the first day the
// share still open is at most one half. Its interval is Brookmeyer and
// Crowley's, with the log-log transform: the days whose pointwise interval
// holds one half, that is from the first day the lower bound falls to one
// half to the first day the upper bound does (as R's survfit reports it
// with conf.type = "log-log").
func medianOf(steps []Step) Median {
	first := func(v func(Step) float64) *int {
		for _, s := range steps {
			if v(s) <= 0.5 {
				d := s.Day
				return &d
			}
		}
		return nil
	}
	return Median{
		Days:  first(func(s Step) float64 { return s.Survival }),
		Lower: first(func(s Step) float64 { return s.Lower }),
		Upper: first(func(s Step) float64 { return s.Upper }),
	}
}
