package trends

import (
	"errors"
	"fmt"
	"slices"
)

// ErrAnchor means Normalize could not scale a series: the anchor is
// missing from it or has no data in any complete period.
var ErrAnchor = errors.New("trends: cannot scale on the anchor")

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

// Normalize makes series comparable: each one is scaled so that its
// anchor's mean over the window is 100. For every series the mean is taken
// over the periods where the anchor has data and the point is not partial;
// Scale is 100 divided by it, AnchorMean is the mean, and every point gets
// Scaled (Values * Scale). Requests for the same window share their periods,
// so their scaled values are on one scale whether they were fetched in one
// execution or in a later retry. Series are modified in place; on error
// none is.
func Normalize(series []Series, anchor string) error {
	scales := make([]float64, len(series))
	means := make([]float64, len(series))
	for i := range series {
		s := &series[i]
		ai := slices.Index(s.Keywords, anchor)
		if ai < 0 {
			return fmt.Errorf("%w: %q not in request %d %v", ErrAnchor, anchor, i, s.Keywords)
		}
		var sum float64
		n := 0
		for _, p := range s.Points {
			if p.IsPartial || ai >= len(p.HasData) || !p.HasData[ai] || ai >= len(p.Values) {
				continue
			}
			sum += float64(p.Values[ai])
			n++
		}
		if n == 0 || sum == 0 {
			return fmt.Errorf("%w: request %d %v: the anchor has no data in %d complete periods", ErrAnchor, i, s.Keywords, len(s.Points))
		}
		means[i] = sum / float64(n)
		scales[i] = 100 / means[i]
	}
	for i := range series {
		s := &series[i]
		s.Anchor, s.AnchorMean, s.Scale = anchor, means[i], scales[i]
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
