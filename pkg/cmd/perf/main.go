// Command perf measures the performance goals: it runs the Go benchmarks
// behind each figure (the parser's speed per CPU-second, each job's peak
// memory over a backfill and an hourly run, the hourly load's cost on a
// large warehouse against a small one, the dashboard's snapshot read),
// prints each figure beside its goal and the command that measured it, and
// rewrites the README's performance table from them. It exits with status 1
// when a goal is missed, after writing the table.
//
//	go run ./pkg/cmd/perf -readme README.md
//	go run ./pkg/cmd/perf -only parse     # one figure, README untouched
//	go run ./pkg/cmd/perf -list           # the benchmarks it runs, as a -skip pattern
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"jobpulse/pkg/readme"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := realMain(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "perf:", err)
		os.Exit(1)
	}
}

// Block is the README's performance table, which perf writes.
const Block = readme.Block("perf")

// errMissed is a goal missed.
var errMissed = errors.New("a goal is missed")

// A figure is one benchmark run and the metrics read from its output.
type figure struct {
	key   string // for -only
	title string
	bench string // the benchmark's name, Benchmark included
	pkg   string // ./pkg/...
	args  []string
	// keep names the environment variable through which the benchmark
	// keeps what it builds slowly in a directory, for the next run.
	keep    string
	metrics []metric
}

// A metric is one unit of a benchmark's output, with its goal if it has
// one.
type metric struct {
	unit   string // as the benchmark reports it
	label  string
	goal   float64
	atMost bool // the goal is a ceiling; else a floor
	format string
}

func (m metric) hasGoal() bool { return m.goal != 0 }

func (m metric) met(v float64) bool {
	if m.atMost {
		return v <= m.goal
	}
	return v >= m.goal
}

func (m metric) goalText() string {
	if !m.hasGoal() {
		return ""
	}
	op := "≥"
	if m.atMost {
		op = "≤"
	}
	return op + " " + fmt.Sprintf(m.format, m.goal)
}

// figures are the goals of the performance table, in its order.
var figures = []figure{
	{key: "parse", title: "raw page → clean NDJSON (`transform.ParsePage`), the real API sample ×50 with distinct ids (5,500 postings)",
		bench: "BenchmarkParsePage", pkg: "./pkg/transform", args: []string{"-count", "5"},
		metrics: []metric{
			{unit: "MB/cpu-s", label: "MB per CPU-second", goal: 150, format: "%.0f"},
			{unit: "postings/cpu-s", label: "postings per CPU-second", format: "%.0f"},
		}},
	{key: "jobs", title: "peak resident memory of each job, as separate processes on the local stack: a backfill of a year's market, then one hourly run",
		bench: "BenchmarkJobsMemory", pkg: "./pkg/stack", args: []string{"-benchtime", "1x", "-timeout", "60m"},
		metrics: []metric{
			{unit: "postings", label: "postings in the backfill", format: "%.0f"},
			{unit: "extractor-backfill-MiB", label: "extractor, backfill (MiB)", goal: 128, atMost: true, format: "%.0f"},
			{unit: "transformer-backfill-MiB", label: "transformer, backfill (MiB)", goal: 128, atMost: true, format: "%.0f"},
			{unit: "loader-backfill-MiB", label: "loader, backfill (MiB)", goal: 128, atMost: true, format: "%.0f"},
			{unit: "extractor-hourly-MiB", label: "extractor, hourly (MiB)", goal: 128, atMost: true, format: "%.0f"},
			{unit: "transformer-hourly-MiB", label: "transformer, hourly (MiB)", goal: 128, atMost: true, format: "%.0f"},
			{unit: "loader-hourly-MiB", label: "loader, hourly (MiB)", goal: 128, atMost: true, format: "%.0f"},
			{unit: "loader-backfill-cpu-ms", label: "loader, backfill (CPU ms)", format: "%.0f"},
		}},
	{key: "hourly", title: "one hourly load (open, ensure, load 100 new postings, close) on a warehouse of 1,000,000 postings against one of 10,000, in CPU time",
		bench: "BenchmarkHourlyLoad", pkg: "./pkg/warehouse/duckdb", args: []string{"-benchtime", "11x", "-timeout", "60m"}, keep: "HOURLY_LOAD_KEEP",
		metrics: []metric{
			{unit: "cpu-ms-10k", label: "10,000 postings (CPU ms)", format: "%.0f"},
			{unit: "cpu-ms-1M", label: "1,000,000 postings (CPU ms)", format: "%.0f"},
			{unit: "ratio", label: "1M ÷ 10k", goal: 1.5, atMost: true, format: "%.2f"},
			{unit: "cpu-ms-1M-compacting", label: "1,000,000 postings, the day's execution that also compacts the file (CPU ms)", format: "%.0f"},
		}},
	{key: "snapshot", title: "the dashboard's snapshot read of a warehouse of 1,000,000 postings",
		bench: "BenchmarkSnapshot", pkg: "./pkg/dashboard", args: []string{"-benchtime", "3x", "-timeout", "60m"},
		metrics: []metric{
			{unit: "snapshot-ms", label: "read time (ms)", goal: 2000, atMost: true, format: "%.0f"},
			{unit: "peak-heap-MB", label: "Go heap at its peak (MB)", goal: 200, atMost: true, format: "%.0f"},
			{unit: "heap-MB", label: "Go heap kept between reads (MB)", format: "%.0f"},
		}},
}

func (f figure) command() string {
	return strings.Join(slices.Concat([]string{"go", "test", "-run", "'^$'", "-bench", "'^" + f.bench + "$'"}, f.args, []string{f.pkg}), " ")
}

func realMain(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("perf", flag.ContinueOnError)
	readmePath := fs.String("readme", "", "README whose performance table to rewrite (none: print only)")
	only := fs.String("only", "", "run only this figure ("+strings.Join(keys(), ", ")+"); the README is not rewritten")
	list := fs.Bool("list", false, "print the benchmarks perf runs as one regular expression (for go test -skip) and exit")
	keep := fs.String("keep", ".local/bench", "directory where a benchmark keeps what it builds slowly (the hourly load's warehouse of a million postings, about 15 minutes) for the next run; empty: build afresh")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("flags: %w", err)
	}
	if *list {
		var names []string
		for _, f := range figures {
			names = append(names, f.bench)
		}
		fmt.Fprintf(stdout, "^(%s)$\n", strings.Join(names, "|"))
		return nil
	}
	run := figures
	if *only != "" {
		i := slices.IndexFunc(figures, func(f figure) bool { return f.key == *only })
		if i < 0 {
			return fmt.Errorf("-only %q: want one of %s", *only, strings.Join(keys(), ", "))
		}
		run = figures[i : i+1]
	}
	machine := describeMachine()
	var results []result
	for i, f := range run {
		fmt.Fprintf(stdout, "perf %d/%d: %s\n  $ %s\n", i+1, len(run), f.title, f.command())
		began := time.Now()
		var env []string
		if f.keep != "" && *keep != "" {
			dir, err := filepath.Abs(*keep)
			if err == nil {
				err = os.MkdirAll(dir, 0o755)
			}
			if err != nil {
				return fmt.Errorf("-keep: %w", err)
			}
			env = append(env, f.keep+"="+dir)
			fmt.Fprintf(stdout, "  (%s=%s: what it builds is kept there for the next run)\n", f.keep, dir)
		}
		out, err := goTest(ctx, f, env, stdout)
		if err != nil {
			return fmt.Errorf("%s: %w", f.bench, err)
		}
		values, err := parseBench(out, f.bench)
		if err != nil {
			return fmt.Errorf("%s: %w", f.bench, err)
		}
		results = append(results, result{figure: f, values: values, took: time.Since(began)})
	}
	table, missed := render(results, machine, time.Now())
	fmt.Fprint(stdout, "\n"+table)
	if *readmePath != "" && *only == "" {
		doc, err := os.ReadFile(*readmePath)
		if err != nil {
			return fmt.Errorf("read the README: %w", err)
		}
		updated, err := Block.Replace(doc, table)
		if err != nil {
			return fmt.Errorf("%s: %w", *readmePath, err)
		}
		if err := os.WriteFile(*readmePath, updated, 0o644); err != nil {
			return fmt.Errorf("write the README: %w", err)
		}
		fmt.Fprintf(stdout, "%s: performance table rewritten\n", *readmePath)
	}
	if missed > 0 {
		return fmt.Errorf("%w: %d of the figures above", errMissed, missed)
	}
	return nil
}

func keys() []string {
	var k []string
	for _, f := range figures {
		k = append(k, f.key)
	}
	return k
}

// goTest runs f's benchmark, echoing its output indented, and returns it.
func goTest(ctx context.Context, f figure, env []string, echo io.Writer) ([]byte, error) {
	args := slices.Concat([]string{"test", "-run", "^$", "-bench", "^" + f.bench + "$"}, f.args, []string{f.pkg})
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			out.Write(sc.Bytes())
			out.WriteByte('\n')
			fmt.Fprintf(echo, "  | %s\n", sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	if err != nil {
		return out.Bytes(), fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return out.Bytes(), nil
}

// parseBench reads the metrics of bench's result lines in out (go test
// -bench output), the median of each unit over the lines (-count runs).
func parseBench(out []byte, bench string) (map[string]float64, error) {
	all := map[string][]float64{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) < 4 || (fields[0] != bench && !strings.HasPrefix(fields[0], bench+"-")) {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue // not a result line (a log line naming the benchmark)
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("result line %q: %q is not a number", strings.TrimSpace(line), fields[i])
			}
			all[fields[i+1]] = append(all[fields[i+1]], v)
		}
	}
	if len(all) == 0 {
		return nil, errors.New("no result line in its output (skipped?)")
	}
	med := map[string]float64{}
	for unit, vs := range all {
		slices.Sort(vs)
		if n := len(vs); n%2 == 1 {
			med[unit] = vs[n/2]
		} else {
			med[unit] = (vs[n/2-1] + vs[n/2]) / 2
		}
	}
	return med, nil
}

type result struct {
	figure
	values map[string]float64
	took   time.Duration
}

// render writes the performance table, and counts the goals missed (a
// metric the benchmark did not report counts as missed).
func render(results []result, machine string, now time.Time) (string, int) {
	var b strings.Builder
	missed := 0
	fmt.Fprintln(&b, Block.Begin())
	fmt.Fprintln(&b, "<!-- Written by `make bench` (go run ./pkg/cmd/perf); edits by hand are overwritten. -->")
	fmt.Fprintf(&b, "Measured %s on %s. Medians where a benchmark runs several times; CPU time is user and system time.\n\n", now.UTC().Format("2006-01-02 15:04 MST"), machine)
	fmt.Fprintln(&b, "| figure | measured | goal | |")
	fmt.Fprintln(&b, "|---|---:|---:|---|")
	for _, r := range results {
		fmt.Fprintf(&b, "| **%s** <br>`%s` | | | |\n", r.title, r.command())
		for _, m := range r.metrics {
			v, ok := r.values[m.unit]
			got, mark := "not reported", ""
			if ok {
				got = fmt.Sprintf(m.format, v)
			}
			if m.hasGoal() {
				mark = "met"
				if !ok || !m.met(v) {
					mark, missed = "**missed**", missed+1
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", m.label, got, m.goalText(), mark)
		}
	}
	fmt.Fprintln(&b, Block.End())
	return b.String(), missed
}

// describeMachine names the CPU, the cores and the load when perf began.
func describeMachine() string {
	model := runtime.GOARCH
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(info)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	s := fmt.Sprintf("%s, %d cores", model, runtime.NumCPU())
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(load)); len(f) > 0 {
			s += ", load average " + f[0] + " at the start"
		}
	}
	return s
}
