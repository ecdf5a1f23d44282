package stack

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/crash"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/saramin/saramintest"
)

// The faults a soak mixes into its hours.
const (
	SoakRateLimit       = "rate-limit"       // two 429s, then answers
	SoakOutage          = "outage"           // 503 on every call: the extractor fails the hour
	SoakTimeout         = "timeout"          // one answer slower than the client waits
	SoakTruncate        = "truncate"         // one body cut in half
	SoakBrokenRecord    = "broken-record"    // a posting without an id: set aside, its window read again
	SoakDrift           = "drift"            // every answer drifted, one of the emulator's kinds
	SoakDuplicate       = "duplicate"        // the last two hours' messages delivered again
	SoakKillExtractor   = "kill-extractor"   // stopped after publishing, before moving the watermark
	SoakKillTransformer = "kill-transformer" // stopped after publishing, before acknowledging
	SoakKillLoader      = "kill-loader"      // stopped after committing, before acknowledging
)

// SoakFaults lists every fault a soak mixes in.
func SoakFaults() []string {
	return []string{SoakRateLimit, SoakOutage, SoakTimeout, SoakTruncate, SoakBrokenRecord, SoakDrift,
		SoakDuplicate, SoakKillExtractor, SoakKillTransformer, SoakKillLoader}
}

// SoakOptions configure a soak.
type SoakOptions struct {
	// Hours is how many simulated hours run after the backfill.
	Hours int
	// FaultShare is the share of hours hit by a fault (default 1/3).
	FaultShare float64
	// EveryFault hits every other hour with the next fault of
	// SoakFaults in turn instead of drawing them, so a short soak meets
	// each once.
	EveryFault bool
	// Seed draws the faulted hours, their faults and drifts.
	Seed uint64
}

// SoakReport is what a soak found.
type SoakReport struct {
	Hours, Faulted int
	// Faults counts the hours hit by each fault; Drifts the drift kinds
	// drawn.
	Faults map[string]int
	Drifts map[string]int
	// Kills counts the executions stopped at a crash point (a kill in an
	// hour with nothing to publish has nothing to stop at).
	Kills int
	// JobFailures counts the executions that failed (an outage fails the
	// extractor, as it should).
	JobFailures int
	// Comparison is the warehouse against the emulator's truth once the
	// hours are over and every message is handled.
	Comparison Comparison
	// ReplayMessages is how many messages of the soak were replayed at
	// its end, and ReplayChanged is true if that changed any external or
	// core table.
	ReplayMessages int
	ReplayChanged  bool
	DeadLettered   int
	Took           time.Duration
}

// Print writes the report.
func (r SoakReport) Print(s *Stack) {
	out := s.Opts.Out
	var fs []string
	for _, f := range SoakFaults() {
		if n := r.Faults[f]; n > 0 {
			fs = append(fs, fmt.Sprintf("%s %d", f, n))
		}
	}
	fmt.Fprintf(out, "soak: %d simulated hours, %d faulted (%s); %d executions killed at a crash point, %d failed along the way\n", r.Hours, r.Faulted, strings.Join(fs, ", "), r.Kills, r.JobFailures)
	if len(r.Drifts) > 0 {
		var ds []string
		for _, k := range slices.Sorted(maps.Keys(r.Drifts)) {
			ds = append(ds, fmt.Sprintf("%s %d", k, r.Drifts[k]))
		}
		fmt.Fprintf(out, "soak: drifts drawn: %s\n", strings.Join(ds, ", "))
	}
	fmt.Fprintf(out, "soak: lost %d, duplicated %d, stale %d, unexpected %d (%d postings served, %d rows)\n",
		len(r.Comparison.Lost), r.Comparison.Duplicated, len(r.Comparison.Stale), len(r.Comparison.Unexpected), r.Comparison.Served, r.Comparison.Rows)
	changed := "unchanged"
	if r.ReplayChanged {
		changed = "CHANGED"
	}
	fmt.Fprintf(out, "soak: replayed all %d messages of the soak: external and core tables %s; %d messages dead-lettered; took %s\n",
		r.ReplayMessages, changed, r.DeadLettered, r.Took.Round(time.Second))
}

// OK is true when nothing was lost, duplicated or left stale, and the
// replay changed nothing.
func (r SoakReport) OK() bool { return r.Comparison.OK() && !r.ReplayChanged && r.DeadLettered == 0 }

// Soak backfills, then runs o.Hours simulated hourly cycles with faults,
// kills and drift mixed into a share of them, lets the pipeline catch up
// with the API answering as it should, and compares the warehouse with
// the emulator's truth; then it replays every message and checks that
// nothing changes. The stack must have a short ack deadline (a killed
// job's messages come back after it).
func (s *Stack) Soak(ctx context.Context, o SoakOptions) (SoakReport, error) {
	began := time.Now()
	rep := SoakReport{Hours: o.Hours, Faults: map[string]int{}, Drifts: map[string]int{}}
	if s.Opts.AckDeadline == 0 || s.Opts.AckDeadline > time.Minute {
		return rep, fmt.Errorf("soak: the stack's ack deadline is %s: give it a short one (2s), or killed jobs' messages wait that long", s.Opts.ackDeadline())
	}
	share := o.FaultShare
	if share == 0 {
		share = 1.0 / 3
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x50a4))
	// The client waits 1 s for an answer and tries 3 times, so the
	// timeout and outage faults cost seconds, not minutes.
	s.Runner.Env["SARAMIN_TIMEOUT"] = "1s"
	s.Runner.Env["SARAMIN_MAX_TRIES"] = "3"
	em := s.Saramin
	h := s.Opts.Now.Truncate(time.Hour)
	s.SetNow(h)
	fmt.Fprintf(s.Opts.Out, "soak: synthetic market, seed %d, %d postings visible at %s; %d hours, a share of %.2f faulted\n",
		s.Opts.Seed, len(em.IDs(h)), h.Format(time.RFC3339), o.Hours, share)
	backfill, err := s.RunCycle(ctx, "soak-backfill", "--from", em.HistoryStart().Add(-24*time.Hour).Format(time.RFC3339), "--to", h.Format(time.RFC3339))
	if err != nil {
		return rep, err
	}
	backfill.Print(s.Opts.Out)
	soakStart := time.Now()
	var hourStarts []time.Time // real time each hour began, for the duplicates
	drifts := saramintest.DriftKinds()
	for i := 1; i <= o.Hours; i++ {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		h = h.Add(time.Hour)
		s.SetNow(h)
		hourStarts = append(hourStarts, time.Now())
		fault := ""
		switch {
		case o.EveryFault && i%2 == 0:
			fs := SoakFaults()
			fault = fs[(i/2-1)%len(fs)]
		case !o.EveryFault && rng.Float64() < share:
			fs := SoakFaults()
			fault = fs[rng.IntN(len(fs))]
		}
		drift := ""
		if fault == SoakDrift {
			drift = drifts[rng.IntN(len(drifts))]
			rep.Drifts[drift]++
		}
		if fault != "" {
			rep.Faulted++
			rep.Faults[fault]++
		}
		failed, err := s.soakHour(ctx, i, h, fault, drift, hourStarts, &rep.Kills)
		if err != nil {
			return rep, fmt.Errorf("soak hour %d (%s): %w", i, fault, err)
		}
		rep.JobFailures += failed
		if i%24 == 0 || i == o.Hours {
			fmt.Fprintf(s.Opts.Out, "soak: %d/%d hours (%s simulated, %d faulted so far), %s\n", i, o.Hours, h.In(kst.Zone).Format("01-02 15:04 KST"), rep.Faulted, time.Since(began).Round(time.Second))
		}
	}
	// The API answers as it should: two hours to read again what a fault
	// left, then every waiting message handled.
	for range 2 {
		h = h.Add(time.Hour)
		s.SetNow(h)
		failed, err := s.soakHour(ctx, 0, h, "", "", nil, &rep.Kills)
		if err != nil {
			return rep, fmt.Errorf("soak: catching up: %w", err)
		}
		rep.JobFailures += failed
	}
	if err := s.settle(ctx); err != nil {
		return rep, err
	}
	if rep.Comparison, err = s.Compare(ctx); err != nil {
		return rep, err
	}
	rep.DeadLettered = s.deadLettered()
	// Every message of the soak again: nothing may change.
	db, err := s.Warehouse()
	if err != nil {
		return rep, err
	}
	_, before, err := Fingerprint(ctx, db)
	db.Close()
	if err != nil {
		return rep, err
	}
	n1, err := s.Local.Replay(RawSubscription, soakStart)
	if err != nil {
		return rep, err
	}
	n2, err := s.Local.Replay(CleanSubscription, soakStart)
	if err != nil {
		return rep, err
	}
	rep.ReplayMessages = n1 + n2
	if err := s.settle(ctx); err != nil {
		return rep, err
	}
	if db, err = s.Warehouse(); err != nil {
		return rep, err
	}
	_, after, err := Fingerprint(ctx, db)
	db.Close()
	if err != nil {
		return rep, err
	}
	rep.ReplayChanged = after != before
	rep.Took = time.Since(began)
	return rep, nil
}

// soakHour runs one hourly cycle at clock h with fault applied, and
// returns how many executions failed (as faults make them).
func (s *Stack) soakHour(ctx context.Context, i int, h time.Time, fault, drift string, hourStarts []time.Time, kills *int) (failed int, err error) {
	em := s.Saramin
	label := fmt.Sprintf("soak-%04d", i)
	to := "--to=" + h.Format(time.RFC3339)
	switch fault {
	case SoakRateLimit:
		err = em.InjectFault(saramintest.Fault{Kind: saramintest.FaultRateLimit, Count: 2, RetryAfter: time.Second})
	case SoakOutage:
		err = em.InjectFault(saramintest.Fault{Kind: saramintest.FaultServerError, Status: 503, Count: -1})
	case SoakTimeout:
		err = em.InjectFault(saramintest.Fault{Kind: saramintest.FaultSlow, Delay: 1500 * time.Millisecond})
	case SoakTruncate:
		err = em.InjectFault(saramintest.Fault{Kind: saramintest.FaultTruncate})
	case SoakBrokenRecord:
		err = em.InjectFault(saramintest.Fault{Kind: saramintest.FaultBrokenRecord, Count: -1})
	case SoakDrift:
		err = em.InjectFault(saramintest.Fault{Kind: saramintest.FaultDrift, Drift: drift, Count: -1})
	}
	if err != nil {
		return 0, err
	}
	run := func(job string, args ...string) {
		if _, err := s.Runner.Run(ctx, label, job, args...); err != nil {
			failed++
		}
	}
	stop := func(job, step string, args ...string) error {
		stopped, _, err := s.Runner.StopIfReached(ctx, label, job, step, args...)
		if stopped && err == nil {
			*kills++
		}
		return err
	}
	if fault == SoakKillExtractor {
		err = stop(Extractor, crash.AfterPublish, to)
	} else {
		run(Extractor, to)
	}
	em.ClearFaults()
	if err != nil {
		return failed, err
	}
	if fault == SoakDuplicate && len(hourStarts) >= 2 {
		// The last two hours' messages, again.
		since := hourStarts[len(hourStarts)-2]
		if _, err := s.Local.Replay(RawSubscription, since); err != nil {
			return failed, err
		}
		if _, err := s.Local.Replay(CleanSubscription, since); err != nil {
			return failed, err
		}
	}
	if fault == SoakKillTransformer {
		if err := stop(Transformer, crash.AfterPublish); err != nil {
			return failed, err
		}
	}
	run(Transformer)
	if fault == SoakKillLoader {
		if err := stop(Loader, crash.AfterCommit); err != nil {
			return failed, err
		}
	}
	run(Loader)
	return failed, nil
}

func topicName(topic string) string { return "projects/" + Project + "/topics/" + topic }

// waiting counts the messages published to topic that no one has
// acknowledged yet and that were not dead-lettered.
func (s *Stack) waiting(topic string) int {
	msgs := s.Local.PubSub.Messages()
	dead := map[string]bool{}
	for _, m := range msgs {
		if m.Topic == topicName(DeadLetterTopic) {
			dead[string(m.Data)] = true
		}
	}
	n := 0
	for _, m := range msgs {
		if m.Topic == topicName(topic) && m.Acks == 0 && !dead[string(m.Data)] {
			n++
		}
	}
	return n
}

// deadLettered counts the messages on the dead-letter topic.
func (s *Stack) deadLettered() int {
	n := 0
	for _, m := range s.Local.PubSub.Messages() {
		if m.Topic == topicName(DeadLetterTopic) {
			n++
		}
	}
	return n
}

// settle runs the transformer and the loader until no message waits on
// either topic. A message held by a killed job comes back once its ack
// deadline passes, so between rounds it waits that long.
func (s *Stack) settle(ctx context.Context) error {
	for round := 0; ; round++ {
		if s.waiting(RawTopic)+s.waiting(CleanTopic) == 0 {
			return nil
		}
		if round == 20 {
			return fmt.Errorf("soak: %d raw and %d clean messages still unacknowledged after %d rounds", s.waiting(RawTopic), s.waiting(CleanTopic), round)
		}
		for _, job := range []string{Transformer, Loader} {
			if _, err := s.Runner.Run(ctx, fmt.Sprintf("settle-%02d", round), job); err != nil {
				return fmt.Errorf("soak: settling: %w", err)
			}
		}
		if s.waiting(RawTopic)+s.waiting(CleanTopic) > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(s.Opts.ackDeadline()):
			}
		}
	}
}
