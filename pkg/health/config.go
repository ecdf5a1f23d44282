package health

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDurations reads "saramin=3h,trends=30h".
func ParseDurations(s string) (map[string]time.Duration, error) {
	return parsePairs(s, func(v string) (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err == nil && d <= 0 {
			err = fmt.Errorf("not positive")
		}
		return d, err
	})
}

// ParseCounts reads "saramin=500,cert=1000".
func ParseCounts(s string) (map[string]int64, error) {
	return parsePairs(s, func(v string) (int64, error) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil && n < 0 {
			err = fmt.Errorf("negative")
		}
		return n, err
	})
}

func parsePairs[T any](s string, parse func(string) (T, error)) (map[string]T, error) {
	out := map[string]T{}
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
		x, err := parse(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", k, v, err)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s given twice", k)
		}
		out[k] = x
	}
	return out, nil
}
