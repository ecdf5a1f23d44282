package health

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"jobpulse/pkg/source"
)

// ParseDurations reads "saramin=3h,trends=30h".
func ParseDurations(s string) (map[source.Source]time.Duration, error) {
	return parsePairs(s, func(v string) (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err == nil && d <= 0 {
			err = fmt.Errorf("not positive")
		}
		return d, err
	})
}

// ParseCounts reads "saramin=500,cert=1000".
func ParseCounts(s string) (map[source.Source]int64, error) {
	return parsePairs(s, func(v string) (int64, error) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && n < 0 {
			err = fmt.Errorf("negative")
		}
		return n, err
	})
}

func parsePairs[T any](s string, parse func(string) (T, error)) (map[source.Source]T, error) {
	out := map[source.Source]T{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q: want source=value", part)
		}
		src, err := source.Parse(k)
		if err != nil {
			return nil, err
		}
		x, err := parse(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", k, v, err)
		}
		if _, dup := out[src]; dup {
			return nil, fmt.Errorf("%s given twice", k)
		}
		out[src] = x
	}
	return out, nil
}
