package trendstest

import (
	"hash/fnv"
	"math"
	"time"
)

// keywordModel is the synthetic search volume of one keyword.
type keywordModel struct {
	base   float64 // volume in January 2016
	growth float64 // per year, continuous
	season float64 // amplitude of the yearly cycle
	phase  float64 // radians
	exam   bool    // spikes before exam rounds (certifications)
	// hiring is the elasticity of the volume to data hiring when
	// Options.Hiring is set (0: unaffected); see hiringFactor.
	hiring float64
}

// models are the data-career keywords the emulator knows; any other keyword
// gets a model derived from its hash. The hiring weights: job titles follow
// data hiring most (1.0), then the data certifications and 데이터 분석
// (0.6-0.8), the broad skills SQL (0.5) and 파이썬 (0.3, also students and
// developers) and the buzzword 빅데이터 (0.3); 정보처리기사, the general IT
// certification, follows its exam calendar and all IT hiring, not data
// hiring (0).
var models = map[string]keywordModel{
	"데이터 분석":     {base: 40, growth: 0.12, season: 0.10, phase: 0.3, hiring: 0.8},
	"데이터 엔지니어":   {base: 8, growth: 0.22, season: 0.08, phase: 0.5, hiring: 1.0},
	"데이터 사이언티스트": {base: 10, growth: 0.10, season: 0.08, phase: 0.5, hiring: 1.0},
	"빅데이터":       {base: 60, growth: -0.05, season: 0.12, phase: 1.0, hiring: 0.3},
	"SQL":        {base: 35, growth: 0.08, season: 0.15, phase: 2.0, hiring: 0.5},
	"파이썬":        {base: 45, growth: 0.15, season: 0.18, phase: 2.0, hiring: 0.3},
	"ADsP":       {base: 6, growth: 0.18, season: 0.20, phase: 0.0, exam: true, hiring: 0.8},
	"SQLD":       {base: 9, growth: 0.16, season: 0.20, phase: 1.0, exam: true, hiring: 0.6},
	"빅데이터분석기사":   {base: 3, growth: 0.25, season: 0.20, phase: 0.5, exam: true, hiring: 0.8},
	"정보처리기사":     {base: 30, growth: 0.07, season: 0.25, phase: 1.5, exam: true},
}

var epoch = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)

func modelFor(k string) keywordModel {
	if m, ok := models[k]; ok {
		return m
	}
	h := hash64(0, k, 0)
	return keywordModel{base: 1 + float64(h%2000)/100, growth: float64(int64(h>>16)%30-5) / 100,
		season: 0.1, phase: float64(h>>32%628) / 100}
}

// volume is the synthetic absolute search volume of keyword k in the week
// starting at t: growth, a yearly cycle (semester starts in March and
// September, exam seasons for certifications), and deterministic noise.
func volume(seed int64, k string, t time.Time) float64 {
	m := modelFor(k)
	years := t.Sub(epoch).Hours() / (24 * 365.25)
	doy := float64(t.YearDay()) / 365.25 * 2 * math.Pi
	v := m.base * math.Exp(m.growth*years) * (1 + m.season*math.Sin(doy+m.phase))
	if m.exam {
		// Exam rounds roughly in March, May, August and November: searches
		// peak in the weeks before.
		for _, month := range []time.Month{3, 5, 8, 11} {
			exam := time.Date(t.Year(), month, 15, 0, 0, 0, 0, time.UTC)
			d := exam.Sub(t).Hours() / 24
			if d > 0 && d < 35 {
				v *= 1 + 0.6*(1-d/35)
			}
		}
	}
	week := t.Unix() / (7 * 86400)
	noise := float64(hash64(seed, k, week)%1000)/1000 - 0.5 // [-0.5, 0.5)
	return v * (1 + 0.12*noise)
}

const (
	// hiringLag is how many weeks search interest trails data hiring: the
	// week starting at t follows the hiring of the week starting hiringLag
	// weeks earlier (job seekers search for the skills and certifications
	// the postings they saw ask for).
	hiringLag = 4
	// hiringRefDays is the span before the emulator's initial clock whose
	// mean daily hiring leaves the data keywords at their model volume.
	hiringRefDays = 52 * 7
)

// weekHiring is the mean of hiring over the 7 days starting at t (each day
// passed as its 00:00 UTC); negative and non-finite values count as 0.
func weekHiring(hiring func(time.Time) float64, t time.Time) float64 {
	sum := 0.0
	for i := range 7 {
		sum += finite(hiring(t.AddDate(0, 0, i)))
	}
	return sum / 7
}

// hiringRef is the mean daily hiring over the hiringRefDays days before
// now's UTC day.
func hiringRef(hiring func(time.Time) float64, now time.Time) float64 {
	day := now.UTC().Truncate(24 * time.Hour)
	sum := 0.0
	for i := 1; i <= hiringRefDays; i++ {
		sum += finite(hiring(day.AddDate(0, 0, -i)))
	}
	return sum / hiringRefDays
}

// hiringFactor is what data hiring does to a volume: (lagged / ref) to the
// power of the keyword's hiring weight, where lagged is the hiring of the
// week hiringLag weeks before the volume's week and ref the reference level.
// It is 1 without a weight or a reference level (no Options.Hiring).
func hiringFactor(weight, lagged, ref float64) float64 {
	if weight == 0 || ref <= 0 {
		return 1
	}
	return math.Pow(lagged/ref, weight)
}

// finite is x, or 0 when x is negative, NaN or infinite.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
		return 0
	}
	return x
}

func hash64(seed int64, k string, n int64) uint64 {
	h := fnv.New64a()
	var b [16]byte
	for i := range 8 {
		b[i] = byte(seed >> (8 * i))
		b[8+i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
	h.Write([]byte(k))
	return h.Sum64()
}

// dataLag is how old the newest data is, as Google's FAQ says ("up to 72
// hours before your search").
const dataLag = 72 * time.Hour

// weekStarts lists the Sundays (00:00 UTC) of the weeks that start within
// [from, to] and not after now - dataLag. With a recorded answer's window
// (2018-03-26 2023-03-26, asked on 2023-03-26) this gives the same first
// and last points as the real one.
func weekStarts(from, to, now time.Time) []time.Time {
	d := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, -int(d.Weekday()))
	if d.Before(from.Truncate(24 * time.Hour)) {
		d = d.AddDate(0, 0, 7)
	}
	var out []time.Time
	for ; !d.After(to) && !d.After(now.Add(-dataLag)); d = d.AddDate(0, 0, 7) {
		out = append(out, d)
	}
	return out
}
