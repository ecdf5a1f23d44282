package warehousetest

import (
	"context"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

// runSkills is the contract of the postings' skills: core.recruit.skills
// is the clean row's own list (what the transformer found, package
// skills), kept with the version external keeps; a row without one has
// none; Recruit gives the list back as loaded.
func runSkills(t *testing.T, ensure func(t *testing.T) warehouse.Warehouse, in Inspect) {
	ctx := context.Background()
	t.Run("Skills", func(t *testing.T) {
		w := ensure(t)
		full := Posting("full", "데이터 엔지니어 (Python, SQL)", Base, "r1")
		other := Posting("other", "데이터 분석가", Base, "r1")
		// Rows the transformer wrote before it set skills carry none.
		old := saramin.Posting{ID: "old", Title: "Python 개발자", PostedAt: Base.Add(-time.Hour), ModifiedAt: Base, RunID: "r1"}
		newer := Posting("full", "데이터 엔지니어 (Spark)", Base.Add(time.Hour), "r2")
		lake := Lake{"skills/r1": NDJSON(full, other, old), "skills/r2": NDJSON(newer)}
		if len(full.Skills) != 2 || len(other.Skills) != 0 || len(newer.Skills) != 1 {
			t.Fatalf("fixture skills: %q %q %q", full.Skills, other.Skills, newer.Skills)
		}
		count := func(where string) int64 { return in.Count(t, w, "core.recruit", where) }
		if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"skills/r1"}}, lake); err != nil {
			t.Fatalf("LoadRecruit r1: %v", err)
		}
		for _, c := range []struct {
			where string
			want  int64
		}{
			{"id = 'full' AND ARRAY_TO_STRING(skills, ',') = 'Python,SQL'", 1},
			{"id = 'other' AND ARRAY_LENGTH(skills) = 0", 1},
			{"id = 'old' AND ARRAY_LENGTH(skills) = 0", 1},
		} {
			if got := count(c.where); got != c.want {
				t.Errorf("core.recruit rows where %s: %d; want %d", c.where, got, c.want)
			}
		}
		got, err := w.Recruit(ctx, "full")
		if err != nil || len(got.Skills) != 2 || got.Skills[0] != "Python" || got.Skills[1] != "SQL" {
			t.Errorf("Recruit(full).Skills = %q, %v", got.Skills, err)
		}
		if got, err := w.Recruit(ctx, "old"); err != nil || got.Skills != nil {
			t.Errorf("Recruit(old).Skills = %#v, %v; want nil", got.Skills, err)
		}
		// A newer version brings its own skills.
		if _, err := w.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "r2", Objects: []string{"skills/r2"}}, lake); err != nil {
			t.Fatalf("LoadRecruit r2: %v", err)
		}
		if got := count("id = 'full' AND ARRAY_TO_STRING(skills, ',') = 'Spark'"); got != 1 {
			t.Errorf("after a newer version, core.recruit holds its skills in %d rows; want 1", got)
		}
	})
}
