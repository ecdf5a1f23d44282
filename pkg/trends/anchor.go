package trends

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrAnchor means Rescale could not scale a series: the anchor is missing
// from it, has no data over the periods it shares with the reference, or
// its mean there is zero.
var ErrAnchor = errors.New("trends: cannot rescale on the anchor")

// Groups splits keywords into requests of at most MaxKeywords, each with
// anchor first, so every request can be rescaled on it. The anchor is
// dropped from keywords if listed there.
func Groups(anchor string, keywords []string) [][]string {
	var rest []string
	for _, k := range keywords {
		if k != anchor && !slices.Contains(rest, k) {
			rest = append(rest, k)
		}
	}
	if len(rest) == 0 {
		return [][]string{{anchor}}
	}
	var out [][]string
	for chunk := range slices.Chunk(rest, MaxKeywords-1) {
		out = append(out, append([]string{anchor}, chunk...))
	}
	return out
}

// Rescale makes the series comparable. series[0] is the reference (Scale
// 1). For every other series, the factor is the anchor's mean in the
// reference divided by the anchor's mean in that series, both taken over
// the periods the two share where the anchor has data in both and neither
// point is partial. Each series gets Anchor, Scale, and Scaled on every
// point (Values * Scale). Series are modified in place; on error none is.
func Rescale(series []Series, anchor string) error {
	if len(series) == 0 {
		return nil
	}
	ref := &series[0]
	ri := slices.Index(ref.Keywords, anchor)
	if ri < 0 {
		return fmt.Errorf("%w: %q not in reference request %v", ErrAnchor, anchor, ref.Keywords)
	}
	refAt := map[time.Time]int{}
	for _, p := range ref.Points {
		if ri < len(p.HasData) && p.HasData[ri] && !p.IsPartial {
			refAt[p.Time] = p.Values[ri]
		}
	}
	scales := make([]float64, len(series))
	scales[0] = 1
	for i := 1; i < len(series); i++ {
		s := &series[i]
		ai := slices.Index(s.Keywords, anchor)
		if ai < 0 {
			return fmt.Errorf("%w: %q not in request %d %v", ErrAnchor, anchor, i, s.Keywords)
		}
		var sumRef, sumS float64
		n := 0
		for _, p := range s.Points {
			rv, ok := refAt[p.Time]
			if !ok || p.IsPartial || ai >= len(p.HasData) || !p.HasData[ai] {
				continue
			}
			sumRef += float64(rv)
			sumS += float64(p.Values[ai])
			n++
		}
		if n == 0 || sumS == 0 || sumRef == 0 {
			return fmt.Errorf("%w: request %d shares %d periods with data (anchor sums %g and %g)", ErrAnchor, i, n, sumRef, sumS)
		}
		scales[i] = sumRef / sumS // ratio of means over the same n periods
	}
	for i := range series {
		s := &series[i]
		s.Anchor, s.Scale = anchor, scales[i]
		for j := range s.Points {
			p := &s.Points[j]
			p.Scaled = make([]float64, len(p.Values))
			for k, v := range p.Values {
				p.Scaled[k] = float64(v) * scales[i]
			}
		}
	}
	return nil
}
