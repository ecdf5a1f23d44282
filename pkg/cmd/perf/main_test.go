package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestParseBench(t *testing.T) {
	t.Parallel()
	out := `goos: linux
BenchmarkParsePage-2   	      60	  18618802 ns/op	  10.20 MB/s	 150.0 MB/cpu-s	 3171912 B/op
BenchmarkParsePage-2   	      63	  18000000 ns/op	  10.50 MB/s	 170.0 MB/cpu-s	 3171912 B/op
BenchmarkParsePage-2   	      61	  19000000 ns/op	  10.00 MB/s	 140.0 MB/cpu-s	 3171912 B/op
    bench_test.go:20: BenchmarkParsePage read the sample
BenchmarkParsePageOther-2   	 1	  1 ns/op	  999 MB/cpu-s
PASS
`
	tests := []struct {
		name, out, bench string
		want             map[string]float64
		err              string
	}{
		{"median of three", out, "BenchmarkParsePage", map[string]float64{"ns/op": 18618802, "MB/s": 10.2, "MB/cpu-s": 150, "B/op": 3171912}, ""},
		{"median of two", "BenchmarkX 1 10 ms\nBenchmarkX 1 20 ms\n", "BenchmarkX", map[string]float64{"ms": 15}, ""},
		{"skipped", "--- SKIP: BenchmarkX\nPASS\n", "BenchmarkX", nil, "no result line"},
		{"garbled", "BenchmarkX-2 1 ten ms\n", "BenchmarkX", nil, "not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseBench([]byte(tc.out), tc.bench)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func TestRender(t *testing.T) {
	t.Parallel()
	f := figure{title: "T", bench: "BenchmarkT", pkg: "./pkg/t", args: []string{"-count", "5"}, metrics: []metric{
		{unit: "MB/cpu-s", label: "speed", goal: 150, format: "%.0f"},
		{unit: "MiB", label: "memory", goal: 128, atMost: true, format: "%.0f"},
		{unit: "n", label: "count", format: "%.0f"},
		{unit: "absent", label: "absent", goal: 1, atMost: true, format: "%.0f"},
	}}
	tests := []struct {
		name   string
		values map[string]float64
		missed int
		want   []string
	}{
		{"all met", map[string]float64{"MB/cpu-s": 150, "MiB": 128, "n": 7, "absent": 1}, 0,
			[]string{"| speed | 150 | ≥ 150 | met |", "| memory | 128 | ≤ 128 | met |", "| count | 7 |  |  |"}},
		{"floor and ceiling missed, a metric absent", map[string]float64{"MB/cpu-s": 149, "MiB": 129}, 3,
			[]string{"| speed | 149 | ≥ 150 | **missed** |", "| memory | 129 | ≤ 128 | **missed** |", "| absent | not reported | ≤ 1 | **missed** |"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			table, missed := render([]result{{figure: f, values: tc.values}}, "a machine", time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
			if missed != tc.missed {
				t.Errorf("missed = %d, want %d", missed, tc.missed)
			}
			for _, w := range append(tc.want, "go test -run '^$' -bench '^BenchmarkT$' -count 5 ./pkg/t", "2026-12-07 10:00 UTC on a machine") {
				if !strings.Contains(table, w) {
					t.Errorf("table lacks %q:\n%s", w, table)
				}
			}
			if !strings.HasPrefix(table, Block.Begin()+"\n") || !strings.HasSuffix(table, Block.End()+"\n") {
				t.Errorf("table does not run from marker to marker:\n%s", table)
			}
		})
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := realMain(context.Background(), []string{"-list"}, &out); err != nil || out.String() != "^(BenchmarkParsePage|BenchmarkJobsMemory|BenchmarkHourlyLoad|BenchmarkSnapshot)$\n" {
		t.Errorf("-list: %q, %v", out.String(), err)
	}
	if err := realMain(context.Background(), []string{"-only", "nope"}, &out); err == nil || !strings.Contains(err.Error(), "parse, jobs, hourly, snapshot") {
		t.Errorf("-only nope: %v; want the figures named", err)
	}
}
