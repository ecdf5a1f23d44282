package sqlrules

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestRender renders every shared statement in both dialects: each renders,
// holds a statement, and keeps nothing of the other dialect's spelling.
func TestRender(t *testing.T) {
	tests := []struct {
		d       Dialect
		foreign []string // what only the other dialect writes
	}{
		{DuckDB, []string{"`", "@", "STRING", "TIMESTAMP_ADD", "UNNEST(dates)", "null_lists"}},
		{BigQuery, []string{"$", "VARCHAR", "TIMESTAMPTZ", "refresh_dates)", "::"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.d), func(t *testing.T) {
			stmts, err := render(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if names, _ := fs.Glob(files, "sql/*.sql"); len(stmts) != len(names) || len(names) == 0 {
				t.Fatalf("%d statements rendered of %d files in sql/", len(stmts), len(names))
			}
			for name, q := range stmts {
				if strings.TrimSpace(stripComments(q)) == "" {
					t.Errorf("%s: renders no statement", name)
				}
				if strings.Contains(q, "{{") || strings.Contains(q, "}}") {
					t.Errorf("%s: a template action is left:\n%s", name, q)
				}
				for _, f := range tt.foreign {
					if strings.Contains(stripComments(q), f) {
						t.Errorf("%s: holds %q, which only the other dialect writes:\n%s", name, f, q)
					}
				}
			}
		})
	}
}

// TestRenderOwn: a dialect's own files come as they are, beside the
// shared ones; a name in both, or an unknown dialect, is an error.
func TestRenderOwn(t *testing.T) {
	own := fstest.MapFS{"sql/ops.sql": {Data: []byte("SELECT {{x}};\n")}}
	stmts, err := Render(BigQuery, own)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stmts.Get("ops"), "SELECT {{x}};\n"; got != want {
		t.Errorf("own ops.sql = %q, want %q", got, want)
	}
	if got, want := stmts.Get("recruit_ids"), "SELECT id FROM `external.recruit_table` ORDER BY id;\n"; got != want {
		t.Errorf("shared recruit_ids.sql = %q, want %q", got, want)
	}

	own["sql/merge_recruit.sql"] = &fstest.MapFile{Data: []byte("MERGE ...;\n")}
	if _, err := Render(DuckDB, own); err == nil || !strings.Contains(err.Error(), "merge_recruit.sql is both shared and the dialect's own") {
		t.Errorf("a twin of a shared statement: error %v", err)
	}
	if _, err := Render("sqlite", fstest.MapFS{}); err == nil {
		t.Error("Render(sqlite): no error")
	}
}

func TestGetPanicsOnUnknownName(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Get(nope): no panic")
		}
	}()
	MustRender(DuckDB, fstest.MapFS{}).Get("nope")
}

// stripComments drops -- comments (none of the statements holds -- in a
// string).
func stripComments(q string) string {
	var b strings.Builder
	for _, l := range strings.Split(q, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
