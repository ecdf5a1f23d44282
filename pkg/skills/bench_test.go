package skills_test

import (
	"testing"

	"jobpulse/pkg/skills"
)

// BenchmarkMatch matches the texts of the real sample's 110 postings.
func BenchmarkMatch(b *testing.B) {
	posts := samplePostings(b)
	d := skills.Default()
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range posts {
			d.Match(postingTexts(p)...)
		}
	}
}
