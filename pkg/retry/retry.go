// Package retry runs an API call again after a failure worth retrying, with
// exponential backoff and jitter (github.com/cenkalti/backoff/v5), honouring
// a delay the server asked for (Retry-After). Every source client (Saramin,
// Google Trends, Q-Net) uses it, so they all retry the same way.
package retry

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Policy bounds the retries of one call. Zero values leave that bound off,
// except Initial (500ms) and Max (30s).
type Policy struct {
	Initial    time.Duration // first wait
	Max        time.Duration // longest single wait
	MaxTries   uint          // attempts, the first included
	MaxElapsed time.Duration // total time spent retrying
	// Retryable tells a failure worth another try from a final one.
	Retryable func(error) bool
	// Wait returns the delay the server asked for in an error (0: none).
	Wait func(error) time.Duration
}

// Do calls op until it succeeds, fails with an error Retryable calls
// final, or the policy runs out. It returns op's result, the number of
// attempts and op's last error as op returned it.
func Do[T any](ctx context.Context, p Policy, op func() (T, error)) (T, int, error) {
	if p.Initial <= 0 {
		p.Initial = 500 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 30 * time.Second
	}
	tries := 0
	attempt := func() (T, error) {
		tries++
		v, err := op()
		if err == nil {
			return v, nil
		}
		if ctx.Err() != nil || p.Retryable == nil || !p.Retryable(err) {
			return v, backoff.Permanent(err)
		}
		if p.Wait != nil {
			if d := p.Wait(err); d > 0 {
				return v, &waitError{err: err, wait: &backoff.RetryAfterError{Duration: d}}
			}
		}
		return v, err
	}
	opts := []backoff.RetryOption{backoff.WithBackOff(&backoff.ExponentialBackOff{
		InitialInterval:     p.Initial,
		RandomizationFactor: backoff.DefaultRandomizationFactor,
		Multiplier:          backoff.DefaultMultiplier,
		MaxInterval:         p.Max,
	})}
	if p.MaxTries > 0 {
		opts = append(opts, backoff.WithMaxTries(p.MaxTries))
	}
	if p.MaxElapsed > 0 {
		opts = append(opts, backoff.WithMaxElapsedTime(p.MaxElapsed))
	}
	v, err := backoff.Retry(ctx, attempt, opts...)
	if err != nil {
		var perm *backoff.PermanentError
		if errors.As(err, &perm) {
			err = perm.Err
		}
		var we *waitError
		if errors.As(err, &we) {
			err = we.err
		}
	}
	return v, tries, err
}

// waitError hands the server's delay to backoff.Retry (which finds
// *backoff.RetryAfterError with errors.As) while keeping op's error.
type waitError struct {
	err  error
	wait *backoff.RetryAfterError
}

func (e *waitError) Error() string   { return e.err.Error() }
func (e *waitError) Unwrap() []error { return []error{e.err, e.wait} }

// After reads a Retry-After header given in seconds or as an HTTP date;
// 0 when absent, unreadable or in the past.
func After(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}
