package kst

import (
	"testing"
	"time"
)

func TestMidnight(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    time.Time
		want time.Time
	}{
		{"a KST afternoon", time.Date(2026, 11, 25, 15, 30, 0, 0, Zone), time.Date(2026, 11, 25, 0, 0, 0, 0, Zone)},
		{"KST midnight itself", time.Date(2026, 11, 25, 0, 0, 0, 0, Zone), time.Date(2026, 11, 25, 0, 0, 0, 0, Zone)},
		{"UTC evening, already the next KST day", time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), time.Date(2026, 11, 26, 0, 0, 0, 0, Zone)},
		{"UTC afternoon, still the same KST day", time.Date(2026, 11, 25, 14, 59, 59, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, Zone)},
		{"across a year", time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, Zone)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Midnight(tc.t)
			if !got.Equal(tc.want) || got.Location() != Zone {
				t.Errorf("Midnight(%s) = %s, want %s", tc.t, got, tc.want)
			}
		})
	}
	if got := time.Date(2026, 11, 25, 0, 0, 0, 0, Zone).UTC(); !got.Equal(time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("KST midnight is %s UTC, want 15:00 the day before", got)
	}
}
