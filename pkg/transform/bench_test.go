package transform_test

import (
	"os"
	"testing"

	"jobpulse/pkg/transform"
)

// BenchmarkParsePage parses one full real API page (110 postings) into
// clean NDJSON rows.
func BenchmarkParsePage(b *testing.B) {
	page, err := os.ReadFile("../saramin/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		p := transform.ParsePage(page, "raw/x", "run")
		if len(p.Bad) != 0 || len(p.Rows) == 0 {
			b.Fatal("sample did not parse")
		}
	}
}
