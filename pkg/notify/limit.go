package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"jobpulse/pkg/lake"
)

// limitState is the rate limiter's object for one alert key.
type limitState struct {
	Key string `json:"key"`
	// LastSent is when the alert was last sent (or claimed for sending).
	LastSent time.Time `json:"last_sent"`
	// Suppressed counts the identical alerts not sent since LastSent.
	Suppressed int `json:"suppressed"`
	// Claim identifies the process that set LastSent, so that only it
	// releases the slot.
	Claim string `json:"claim,omitempty"`
}

// StateName is the lake object holding the rate limiter's state for an
// alert key.
func StateName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "state/notify/" + hex.EncodeToString(sum[:16]) + ".json"
}

// claim is a slot taken by this process.
type claim struct {
	name  string
	token string
	prev  limitState
}

// maxClaimTries bounds the read-decide-write rounds lost to other processes.
const maxClaimTries = 3

// claim decides whether e is sent. Within RepeatAfter of the last identical
// alert it counts e as suppressed and says no; otherwise it takes the slot
// with a conditional write, and says yes with the claim to release should
// sending fail. A store error says yes without a claim (better a repeat
// than silence). The suppressed count since the last one is added to the
// event's summary.
func (n *Notifier) claim(ctx context.Context, e *Event, log *slog.Logger) (bool, *claim) {
	key := e.Key()
	name := StateName(key)
	log = log.With("key", key, "state", name)
	for range maxClaimTries {
		var st limitState
		gen, err := n.store.ReadJSON(ctx, name, &st)
		switch {
		case errors.Is(err, lake.ErrNotFound):
			gen, st = 0, limitState{}
		case err != nil:
			log.Warn("rate limit state not read; sending anyway", "error", n.redactErr(err).Error())
			return true, nil
		}
		now := n.now()
		every := n.cfg.RepeatAfter
		if e.RepeatAfter > 0 {
			every = e.RepeatAfter
		}
		if !st.LastSent.IsZero() && now.Sub(st.LastSent) < every {
			st.Key = key
			st.Suppressed++
			err := n.store.WriteJSON(ctx, name, gen, st)
			if errors.Is(err, lake.ErrConflict) {
				continue // counted again on the fresh state
			}
			if err != nil {
				log.Warn("suppressed alert not counted", "error", n.redactErr(err).Error())
			}
			log.Info("notification suppressed: identical alert sent recently",
				"last_sent", FormatKST(st.LastSent), "suppressed", st.Suppressed, "repeat_after", every.String())
			return false, nil
		}

		c := &claim{name: name, token: token(), prev: st}
		err = n.store.WriteJSON(ctx, name, gen, limitState{Key: key, LastSent: now, Claim: c.token})
		if errors.Is(err, lake.ErrConflict) {
			continue // another process changed it: decide again on what it wrote
		}
		if st.Suppressed > 0 && !st.LastSent.IsZero() {
			note := fmt.Sprintf("%s suppressed since %s", plural(st.Suppressed, "identical alert", "identical alerts"), FormatKST(st.LastSent))
			if e.Summary == "" {
				e.Summary = note
			} else {
				e.Summary += "\n" + note
			}
		}
		if err != nil {
			log.Warn("rate limit slot not claimed; sending anyway", "error", n.redactErr(err).Error())
			return true, nil
		}
		return true, c
	}
	log.Info("notification not sent: other processes are sending the same alert")
	return false, nil
}

// release gives the slot back after every channel failed, so the next
// identical alert is tried; the suppressed count is kept. Best effort: an
// error is logged.
func (n *Notifier) release(ctx context.Context, c *claim, log *slog.Logger) {
	var st limitState
	gen, err := n.store.ReadJSON(ctx, c.name, &st)
	if err == nil && st.Claim != c.token {
		return // someone else's slot by now
	}
	if err == nil {
		prev := c.prev
		prev.Key, prev.Claim = st.Key, ""
		err = n.store.WriteJSON(ctx, c.name, gen, prev)
	}
	if err != nil && !errors.Is(err, lake.ErrConflict) {
		log.Warn("rate limit slot not released; the next identical alert may wait", "state", c.name, "error", n.redactErr(err).Error())
	}
}

// token names one claim.
func token() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
