// Package sqlrules holds the warehouse statements whose rules DuckDB and
// BigQuery share (merging a posting, closing an expired one, the data
// checks, the dashboard's aggregates, replacing the certification set,
// the monitor's reads) as one template each in sql/, and renders them for
// a dialect. The dialect packages (../duckdb, ../bigquery) keep in their
// own sql/ only the statements whose two versions differ in most lines
// (../bigquery/DIFFERENCES.md says which and why). Render gives a
// dialect package its own statements and the shared ones, rendered, once,
// when the package is initialized; a statement both shared and a
// dialect's own is an error, so no twin outlives its template.
//
// Templates (text/template) rather than a generator: the shared files stay
// SQL read top to bottom, the rendering needs no build step and no
// generated file to keep in step, and a rule changes in one line for both
// dialects. What differs is written in one of two ways. A spelling is a
// dialect function:
//
//	template                  DuckDB                            BigQuery
//	{{table "core.recruit"}}  core.recruit                      `core.recruit`
//	{{param "run_id"}}        $run_id                           @run_id
//	{{clock}}                 $as_of (a parameter)              clock (a script variable)
//	{{ts "window_to"}}        CAST($window_to AS TIMESTAMPTZ)   @window_to
//	{{hourAfter X}}           X + INTERVAL 1 HOUR               TIMESTAMP_ADD(X, INTERVAL 1 HOUR)
//	{{string}}                VARCHAR                           STRING
//	{{unnest "l" "code"}}     unnest(l) AS u(code)              UNNEST(l) AS code
//	{{refreshDates}}          (SELECT d FROM refresh_dates)     UNNEST(dates)
//	{{tempTable}}             CREATE OR REPLACE TEMP TABLE      CREATE TEMP TABLE
//
// A difference of substance (BigQuery's partition filters and null_lists
// column, DuckDB's deduplication inside the MERGE, the two ways of
// counting open postings) is an {{if duckdb}} ... {{else}} ... {{end}}
// block in place, so a rule and where the dialects part are read together.
package sqlrules

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
)

// Dialect is a warehouse's SQL dialect.
type Dialect string

// The dialects.
const (
	DuckDB   Dialect = "duckdb"
	BigQuery Dialect = "bigquery"
)

//go:embed sql/*.sql
var files embed.FS

// Statements are a dialect's statements, by file name without .sql.
type Statements map[string]string

// Get returns the statement name; it panics if there is none, which every
// test of the dialect's package shows.
func (s Statements) Get(name string) string {
	q, ok := s[name]
	if !ok {
		panic("sqlrules: no statement " + name)
	}
	return q
}

// Render renders every shared statement for d and adds d's own, the files
// sql/*.sql of own, as they are (they are not templates). A name in both
// is an error: a statement is shared or the dialect's own, never both.
func Render(d Dialect, own fs.FS) (Statements, error) {
	out, err := render(d)
	if err != nil {
		return nil, fmt.Errorf("sqlrules.Render %s: %w", d, err)
	}
	names, err := fs.Glob(own, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("sqlrules.Render %s: %w", d, err)
	}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".sql")
		if _, ok := out[name]; ok {
			return nil, fmt.Errorf("sqlrules.Render %s: %s is both shared and the dialect's own", d, n)
		}
		b, err := fs.ReadFile(own, n)
		if err != nil {
			return nil, fmt.Errorf("sqlrules.Render %s: %w", d, err)
		}
		out[name] = string(b)
	}
	return out, nil
}

// MustRender is Render for a package's initialization: the files are
// embedded, so a failure is a bug, and it panics.
func MustRender(d Dialect, own fs.FS) Statements {
	s, err := Render(d, own)
	if err != nil {
		panic(err)
	}
	return s
}

// render renders the shared statements for d.
func render(d Dialect) (Statements, error) {
	funcs, err := dialectFuncs(d)
	if err != nil {
		return nil, err
	}
	t, err := template.New("").Funcs(funcs).Option("missingkey=error").ParseFS(files, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	out := Statements{}
	for _, tt := range t.Templates() {
		name, ok := strings.CutSuffix(tt.Name(), ".sql")
		if !ok {
			continue // a {{define}}d piece, not a file
		}
		var b strings.Builder
		if err := tt.Execute(&b, nil); err != nil {
			return nil, err
		}
		out[name] = b.String()
	}
	return out, nil
}

// dialectFuncs are the template functions of d (see the package doc).
func dialectFuncs(d Dialect) (template.FuncMap, error) {
	duck := template.FuncMap{
		"duckdb":       func() bool { return true },
		"bigquery":     func() bool { return false },
		"table":        func(name string) string { return name },
		"param":        func(name string) string { return "$" + name },
		"clock":        func() string { return "$as_of" },
		"ts":           func(name string) string { return "CAST($" + name + " AS TIMESTAMPTZ)" },
		"hourAfter":    func(t string) string { return t + " + INTERVAL 1 HOUR" },
		"string":       func() string { return "VARCHAR" },
		"unnest":       func(list, elem string) string { return "unnest(" + list + ") AS u(" + elem + ")" },
		"refreshDates": func() string { return "(SELECT d FROM refresh_dates)" },
		"tempTable":    func() string { return "CREATE OR REPLACE TEMP TABLE" },
	}
	switch d {
	case DuckDB:
		return duck, nil
	case BigQuery:
		return template.FuncMap{
			"duckdb":       func() bool { return false },
			"bigquery":     func() bool { return true },
			"table":        func(name string) string { return "`" + name + "`" },
			"param":        func(name string) string { return "@" + name },
			"clock":        func() string { return "clock" },
			"ts":           func(name string) string { return "@" + name },
			"hourAfter":    func(t string) string { return "TIMESTAMP_ADD(" + t + ", INTERVAL 1 HOUR)" },
			"string":       func() string { return "STRING" },
			"unnest":       func(list, elem string) string { return "UNNEST(" + list + ") AS " + elem },
			"refreshDates": func() string { return "UNNEST(dates)" },
			"tempTable":    func() string { return "CREATE TEMP TABLE" },
		}, nil
	}
	return nil, fmt.Errorf("sqlrules: unknown dialect %q", d)
}
