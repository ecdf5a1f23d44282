package retry

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

var (
	errTransient = errors.New("transient")
	errFinal     = errors.New("final")
)

func TestDo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		failures  []error // what op returns before succeeding
		maxTries  uint
		wantTries int
		wantErr   error
	}{
		{"first try", nil, 5, 1, nil},
		{"transient twice", []error{errTransient, errTransient}, 5, 3, nil},
		{"final at once", []error{errFinal}, 5, 1, errFinal},
		{"runs out", []error{errTransient, errTransient, errTransient}, 2, 2, errTransient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			p := Policy{Initial: time.Millisecond, Max: time.Millisecond, MaxTries: tt.maxTries,
				Retryable: func(err error) bool { return errors.Is(err, errTransient) }}
			v, tries, err := Do(context.Background(), p, func() (int, error) {
				calls++
				if calls <= len(tt.failures) {
					return 0, tt.failures[calls-1]
				}
				return 42, nil
			})
			if tries != tt.wantTries || !errors.Is(err, tt.wantErr) || (err == nil && v != 42) {
				t.Fatalf("v=%d tries=%d err=%v; want tries %d err %v", v, tries, err, tt.wantTries, tt.wantErr)
			}
			if err != nil && err.Error() != tt.wantErr.Error() {
				t.Fatalf("error %q came back wrapped", err)
			}
		})
	}
}

// A delay the server asks for replaces the backoff: with a 1s Retry-After
// the second attempt comes at least that long after the first.
func TestDoHonoursWait(t *testing.T) {
	t.Parallel()
	var times []time.Time
	p := Policy{Initial: time.Millisecond, Max: time.Millisecond, MaxTries: 3,
		Retryable: func(error) bool { return true },
		Wait:      func(error) time.Duration { return time.Second }}
	_, _, err := Do(context.Background(), p, func() (int, error) {
		times = append(times, time.Now())
		if len(times) == 1 {
			return 0, errTransient
		}
		return 1, nil
	})
	if err != nil || len(times) != 2 || times[1].Sub(times[0]) < 900*time.Millisecond {
		t.Fatalf("err=%v attempts=%d", err, len(times))
	}
}

func TestAfter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", 0}, {"3", 3 * time.Second}, {"0", 0}, {"-1", 0}, {"soon", 0},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		if got := After(h); got != tt.want {
			t.Errorf("After(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
	h := http.Header{"Retry-After": {time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)}}
	if got := After(h); got < 50*time.Second || got > time.Minute {
		t.Errorf("After(date in a minute) = %v", got)
	}
}
