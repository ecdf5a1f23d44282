package clocktest

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	c := New(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v; want %v", got, start)
	}
	c.Advance(90 * time.Minute)
	c.Advance(30 * time.Second)
	if got, want := c.Now(), start.Add(90*time.Minute+30*time.Second); !got.Equal(want) {
		t.Errorf("after advancing: Now = %v; want %v", got, want)
	}
}
