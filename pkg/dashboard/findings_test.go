package dashboard_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/warehouse/duckdb"
)

// TestFindingsReadme: the README holds one well-formed findings block, as
// the command writes it (its header, its end), naming the command and
// saying the data is synthetic.
func TestFindingsReadme(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block, err := dashboard.FindingsBlock.In(readme)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	if len(lines) < 5 || lines[1] != "<!-- Written by `make findings` (go run ./pkg/cmd/findings); edits by hand are overwritten. -->" ||
		!strings.HasPrefix(lines[2], "Read from `") || !strings.Contains(lines[2], "**synthetic**") {
		t.Errorf("the README's findings do not start as the command writes them:\n%s", block)
	}
	for _, l := range lines[4 : len(lines)-1] {
		if !strings.HasPrefix(l, "- **") {
			t.Errorf("the README's findings hold a line the command does not write: %q", l)
		}
	}
	if !strings.Contains(string(readme), "make findings") {
		t.Error("the README does not name the command that writes its findings")
	}
}

// TestFindings renders the findings of the fixture: synthetic, every data
// role read as the indicators chart reads it, the provinces listed, the
// exam's latest year by stage.
func TestFindings(t *testing.T) {
	t.Parallel()
	path := warehouseFile(t, multiRegion, "정보처리기사")
	store := dashboard.NewStore(duckdb.NewFileSnapshotter(path), slog.New(slog.DiscardHandler))
	ctx := context.Background()
	if _, err := store.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := store.Findings(ctx, "fixture.duckdb")
	if err != nil {
		t.Fatal(err)
	}
	want := dashboard.FindingsBlock.Begin() + `
<!-- Written by ` + "`make findings` (go run ./pkg/cmd/findings)" + `; edits by hand are overwritten. -->
Read from ` + "`fixture.duckdb`" + `: 7 postings first posted from 2026-09-07 to 2026-09-22, **synthetic** sample data (the emulators' market, not the real job market).

- **Data engineers** against search interest in 데이터 엔지니어: over the 3 weeks both cover (the weeks of 2026-09-07 to 2026-09-21), only 2 whole weeks overlap; a reading needs 30 at each of 4 weekly cut-offs.
- **Data analysts** against search interest in 데이터 엔지니어: over the 3 weeks both cover (the weeks of 2026-09-07 to 2026-09-21), only 2 whole weeks overlap; a reading needs 30 at each of 4 weekly cut-offs.
- **Data scientists** against search interest in 데이터 엔지니어: over the 3 weeks both cover (the weeks of 2026-09-07 to 2026-09-21), only 2 whole weeks overlap; a reading needs 30 at each of 4 weekly cut-offs.
- **Regions**: postings list 2 provinces; a posting listing several counts in each. The most listed: 경기, by 5 of the 7 postings (71.4%); 서울, by 4 (57.1%).
- **정보처리기사 in 2026**: written (필기) stage 1,210 applicants (접수자), 1,200 examinees (응시자), 420 passers (합격자), pass rate 35.0%.
` + dashboard.FindingsBlock.End() + "\n"
	if got != want {
		t.Errorf("findings\n%s\nwant\n%s", got, want)
	}
}
