// Command stack runs jobpulse on one machine: the local servers in this
// process and each job as its own process, chained as in GCP.
//
//	stack e2e   backfill, two hourly cycles and a replay, then check the warehouse
//	stack demo  backfill, then one simulated hour every -hour until interrupted
//	stack soak  backfill, then -hours simulated hours with faults, kills and drift mixed in; prints lost, duplicated and stale postings
//	stack up    only the servers, printing the environment for running jobs by hand
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/stack"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil && err != flag.ErrHelp {
		fmt.Fprintln(os.Stderr, "stack:", err)
		os.Exit(1)
	}
}

func realMain(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: stack e2e|demo|soak|up [flags]")
	}
	mode := args[0]
	fs := flag.NewFlagSet("stack "+mode, flag.ContinueOnError)
	dir := fs.String("dir", ".local", "directory for lake objects, the warehouse and logs")
	bin := fs.String("bin", "bin", "directory of the job binaries")
	seed := fs.Int64("seed", 42, "seed of the emulator's synthetic market")
	var now cli.TimeFlag
	fs.Var(&now, "now", "emulator clock (default: the current hour)")
	history := fs.Int("history-days", 365, "days of history the emulator serves")
	scale := fs.Float64("scale", 1, "volume of the synthetic market (1 = about 100 postings a day)")
	hour := fs.Duration("hour", 15*time.Second, "demo: real time per simulated hour")
	addr := fs.String("emulator-addr", "", "serve the Saramin emulator on this address (default: a free port)")
	dashAddr := fs.String("dashboard-addr", "127.0.0.1:8080", "demo: serve the dashboard on this address")
	ackDeadline := fs.Duration("ack-deadline", 0, "ack deadline of the jobs' subscriptions, whole seconds from 1s to 10m (0: 10m, as in GCP); a short one brings the messages of a job killed (or stopped with STOP_AT) back within seconds")
	hours := fs.Int("hours", 168, "soak: simulated hours after the backfill")
	faultShare := fs.Float64("fault-share", 1.0/3, "soak: share of the hours hit by a fault")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if now.T.IsZero() {
		now.T = time.Now().Truncate(time.Hour)
	}
	o := stack.Options{Dir: *dir, Bin: *bin, Seed: *seed, Now: now.T, HistoryDays: *history, Scale: *scale, EmulatorAddr: *addr, DashboardAddr: *dashAddr, AckDeadline: *ackDeadline, Out: out}
	switch mode {
	case "e2e":
		s, err := stack.Start(ctx, o, true)
		if err != nil {
			return err
		}
		defer s.Close()
		return s.E2E(ctx)
	case "demo":
		s, err := stack.Start(ctx, o, true)
		if err != nil {
			return err
		}
		defer s.Close()
		fmt.Fprintln(out, "jobpulse demo: Ctrl-C stops it. Job logs: "+s.Runner.LogDir+"; the Slack messages and emails, as captured locally: "+o.NoticesFile())
		return s.Demo(ctx, *hour)
	case "soak":
		if o.AckDeadline == 0 {
			o.AckDeadline = 2 * time.Second // a killed job's messages come back in seconds
		}
		s, err := stack.Start(ctx, o, true)
		if err != nil {
			return err
		}
		defer s.Close()
		rep, err := s.Soak(ctx, stack.SoakOptions{Hours: *hours, FaultShare: *faultShare, Seed: uint64(*seed)})
		if err != nil {
			return err
		}
		rep.Print(s)
		if !rep.OK() {
			return fmt.Errorf("soak: postings lost, duplicated or stale, messages dead-lettered, or the replay changed the warehouse")
		}
		return nil
	case "up":
		s, err := stack.Start(ctx, o, false)
		if err != nil {
			return err
		}
		defer s.Close()
		env := s.Runner.Env
		keys := make([]string, 0, len(env))
		for k := range env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintln(out, "# local stack up; run the jobs with this environment (Ctrl-C stops the servers):")
		for _, k := range keys {
			fmt.Fprintf(out, "export %s=%q\n", k, env[k])
		}
		<-ctx.Done()
		return nil
	default:
		return fmt.Errorf("unknown mode %q: want e2e, demo, soak or up", mode)
	}
}
