package transform_test

import (
	"bytes"
	"os"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"jobpulse/pkg/transform"
)

// benchPages is how many copies of the real sample page the benchmark
// parses per iteration: 50 pages, 5,500 postings, about 9.5 MB.
const benchPages = 50

// sampleIDs finds the postings' ids in the real sample page.
var sampleIDs = regexp.MustCompile(`"id": "(\d+)"`)

// replicatedSample is the real API sample page copied n times, copy k with
// every posting id raised by k×10⁸ so that no two postings share an id.
func replicatedSample(tb testing.TB, n int) [][]byte {
	tb.Helper()
	page, err := os.ReadFile("../saramin/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		tb.Fatal(err)
	}
	pages := make([][]byte, n)
	for k := range pages {
		pages[k] = sampleIDs.ReplaceAllFunc(page, func(m []byte) []byte {
			id, err := strconv.ParseInt(string(sampleIDs.FindSubmatch(m)[1]), 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return []byte(`"id": "` + strconv.FormatInt(id+int64(k)*100_000_000, 10) + `"`)
		})
	}
	return pages
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParsePage parses the real API sample page replicated ×50 with
// distinct ids (5,500 postings) into clean NDJSON rows, one op being all
// 50 pages. Besides ns/op and MB/s (wall time) it reports MB/cpu-s and
// postings/cpu-s: raw page bytes and postings per second of the process's
// CPU time (user+sys, garbage collection included), the figures `make
// bench` reads.
func BenchmarkParsePage(b *testing.B) {
	pages := replicatedSample(b, benchPages)
	size, postings := 0, 0
	for _, p := range pages {
		size += len(p)
		parsed := transform.ParsePage(p, "raw/x", "run")
		if len(parsed.Bad) != 0 || len(parsed.Drift) != 0 {
			b.Fatalf("sample did not parse: %d bad, drift %v", len(parsed.Bad), parsed.Drift)
		}
		postings += bytes.Count(parsed.Rows, []byte{'\n'})
	}
	if postings != 110*benchPages {
		b.Fatalf("%d postings, want %d", postings, 110*benchPages)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	began := cpuTime(b)
	n := 0
	for b.Loop() {
		for _, p := range pages {
			if parsed := transform.ParsePage(p, "raw/x", "run"); len(parsed.Rows) == 0 {
				b.Fatal("no rows")
			}
		}
		n++
	}
	cpu := (cpuTime(b) - began).Seconds()
	b.ReportMetric(float64(size)*float64(n)/cpu/1e6, "MB/cpu-s")
	b.ReportMetric(float64(postings)*float64(n)/cpu, "postings/cpu-s")
}
