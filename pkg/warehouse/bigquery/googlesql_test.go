package bigquery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/googlesql"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/warehousetest"
)

// statement is one query job the warehouse sent, as the fake recorded it.
type statement struct {
	name   string            // the tour's step and the job's kind (jobpulse_<kind>)
	sql    string            // as sent
	params map[string]string // query parameters with their GoogleSQL types
}

// tour drives every operation of the warehouse against the fake, down
// every path that sends different SQL (a batch, an empty batch, each
// indicator, the checks, the dashboard's snapshot, the monitor's reads),
// and returns the query jobs it sent and the tables it
// created on the way (the per-load tables).
func tour(t *testing.T) ([]statement, []googlesql.Table) {
	t.Helper()
	ctx := context.Background()
	f := newFakeBQ(t)
	f.loadRows = 2
	f.rows["SELECT n_staged AS staged"] = scriptResult(4, 3, 1, 0)
	f.rows["MERGE `external.google_trend`"] = countsResult(4, 3, 1, 0)
	f.rows["MERGE `staging.indicator_loads`"] = certResult(4, 2, 1, 1, false)
	var calls []string
	var mu sync.Mutex
	clk := WithClock(func() time.Time { return clock })
	goRoles := f.open(t, WithBucket("lake"), clk, WithClassifier(testClassifier(&calls, &mu)))

	p, base := warehousetest.Posting, warehousetest.Base
	lake := warehousetest.Lake{
		"clean/r1/0.ndjson": warehousetest.NDJSON(p("1", "데이터 엔지니어", base, "r1"), p("2", "웹 개발자", base, "r1")),
		"clean/r1/1.ndjson": warehousetest.NDJSON(p("3", "데이터 분석가", base, "r1")),
	}
	batch := warehouse.Batch{Source: source.Saramin, RunID: "2024-05-01T10", Objects: []string{"clean/r1/0.ndjson", "clean/r1/1.ndjson"},
		WindowFrom: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC), WindowTo: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
	steps := []struct {
		name string
		run  func() error
	}{
		{"Ensure", func() error { return goRoles.Ensure(ctx) }},
		{"LoadRecruit (Go roles)", func() error { _, err := goRoles.LoadRecruit(ctx, batch, lake); return err }},
		{"LoadRecruit (empty batch)", func() error {
			_, err := goRoles.LoadRecruit(ctx, warehouse.Batch{Source: source.Saramin, RunID: "empty"}, lake)
			return err
		}},
		{"LoadTrends", func() error { _, err := goRoles.LoadTrends(ctx, trendBatch(), nil); return err }},
		{"ReplaceCertifications", func() error { _, err := goRoles.ReplaceCertifications(ctx, certBatch(), nil); return err }},
		{"CheckAll", func() error { _, err := goRoles.CheckAll(ctx, clock, 3*time.Hour); return err }},
		{"Snapshot", func() error {
			_, err := goRoles.Snapshot(ctx, warehouse.PostingFunc(func(*warehouse.SnapshotPosting) error { return nil }))
			return err
		}},
		// The grid of postings: every order, every filter, and a page
		// past the last (which counts in a second query).
		{"Postings", func() error {
			var errs []error
			for _, sort := range warehouse.PostingSorts() {
				_, err := goRoles.Postings(ctx, warehouse.PostingQuery{Sort: sort, Limit: 50, AsOf: clock})
				errs = append(errs, err)
			}
			_, err := goRoles.Postings(ctx, warehouse.PostingQuery{Role: "data_engineer", Entry: true, Province: "서울", District: "서울 > 강남구",
				Industry: "IT·웹·통신", IndustryDetail: "솔루션·SI·ERP·CRM", Experience: "experienced_3_5", From: clock.AddDate(0, -6, 0), To: clock,
				Text: "파이썬", Skills: []string{"Python"}, Sort: warehouse.SortViewsPerDay, AsOf: clock, Offset: 100, Limit: 50})
			return errors.Join(append(errs, err)...)
		}},
		{"CountRecruit", func() error { _, err := goRoles.CountRecruit(ctx); return err }},
		{"RecruitIDs", func() error { _, err := goRoles.RecruitIDs(ctx); return err }},
		{"Recruit", func() error { _, err := goRoles.Recruit(ctx, "1"); return err }},
		{"LastLoads", func() error { _, err := goRoles.LastLoads(ctx); return err }},
		{"RunPostings", func() error { _, _, err := goRoles.RunPostings(ctx, "r1"); return err }},
		{"RecordRuns", func() error {
			return goRoles.RecordRuns(ctx, []ops.Run{{Job: "loader", Execution: "e1", RunID: "r1", Status: ops.StatusSucceeded, StartedAt: clock}})
		}},
	}
	// stepOf[i] names the step that sent request i.
	var stepOf []string
	for _, s := range steps {
		// The fake answers with what it has: some steps fail reading an
		// answer they did not expect, after their SQL was sent, which is
		// what is judged here.
		if err := s.run(); err != nil {
			t.Logf("%s against the fake: %v", s.name, err)
		}
		f.mu.Lock()
		for len(stepOf) < len(f.requests) {
			stepOf = append(stepOf, s.name)
		}
		f.mu.Unlock()
	}

	var stmts []statement
	var created []googlesql.Table
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.requests {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/jobs"):
			cfg, _ := r.Body["configuration"].(map[string]any)
			q, ok := cfg["query"].(map[string]any)
			if !ok {
				continue
			}
			ref, _ := r.Body["jobReference"].(map[string]any)
			id, _ := ref["jobId"].(string)
			kind := strings.TrimPrefix(id, "jobpulse_")
			if i := strings.LastIndex(kind, "-"); i > 0 {
				kind = kind[:i] // the suffix the client adds
			}
			sql, _ := q["query"].(string)
			st := statement{name: fmt.Sprintf("%s, query job %s", stepOf[i], kind), sql: sql, params: map[string]string{}}
			ps, _ := q["queryParameters"].([]any)
			for _, p := range ps {
				pm, _ := p.(map[string]any)
				name, _ := pm["name"].(string)
				pt, _ := pm["parameterType"].(map[string]any)
				st.params[name] = paramType(pt)
			}
			stmts = append(stmts, st)
		case r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/tables"):
			ref, _ := r.Body["tableReference"].(map[string]any)
			ds, _ := ref["datasetId"].(string)
			id, _ := ref["tableId"].(string)
			schema, _ := r.Body["schema"].(map[string]any)
			fields, _ := schema["fields"].([]any)
			created = append(created, googlesql.Table{Name: f.project + "." + ds + "." + id, Columns: restColumns(fields)})
		}
	}
	return stmts, created
}

// paramType writes a REST query parameter type in GoogleSQL's spelling.
func paramType(pt map[string]any) string {
	switch typ, _ := pt["type"].(string); typ {
	case "ARRAY":
		at, _ := pt["arrayType"].(map[string]any)
		return "ARRAY<" + paramType(at) + ">"
	case "STRUCT":
		fs, _ := pt["structTypes"].([]any)
		var parts []string
		for _, f := range fs {
			fm, _ := f.(map[string]any)
			name, _ := fm["name"].(string)
			ft, _ := fm["type"].(map[string]any)
			parts = append(parts, strings.TrimSpace(name+" "+paramType(ft)))
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	default:
		return standardType(typ)
	}
}

// standardType maps the API's legacy type names to GoogleSQL's.
func standardType(t string) string {
	switch t {
	case "INTEGER":
		return "INT64"
	case "FLOAT":
		return "FLOAT64"
	case "BOOLEAN":
		return "BOOL"
	case "RECORD":
		return "STRUCT"
	}
	return t
}

// restColumns reads a REST table schema's fields.
func restColumns(fields []any) []googlesql.Column {
	var cols []googlesql.Column
	for _, f := range fields {
		fm, _ := f.(map[string]any)
		name, _ := fm["name"].(string)
		typ, _ := fm["type"].(string)
		typ = standardType(typ)
		if typ == "STRUCT" {
			sub, _ := fm["fields"].([]any)
			var parts []string
			for _, c := range restColumns(sub) {
				parts = append(parts, c.Name+" "+c.Type)
			}
			typ = "STRUCT<" + strings.Join(parts, ", ") + ">"
		}
		if mode, _ := fm["mode"].(string); mode == "REPEATED" {
			typ = "ARRAY<" + typ + ">"
		}
		cols = append(cols, googlesql.Column{Name: name, Type: typ})
	}
	return cols
}

// catalog is the warehouse's tables as Ensure creates them (tables(),
// the same specs), named as the SQL names them.
func catalog() []googlesql.Table {
	var out []googlesql.Table
	for _, spec := range tables() {
		var cols []googlesql.Column
		for _, f := range spec.schema {
			cols = append(cols, googlesql.Column{Name: f.Name, Type: schemaType(f)})
		}
		out = append(out, googlesql.Table{Name: spec.dataset + "." + spec.name, Columns: cols})
	}
	return out
}

func schemaType(f *bq.FieldSchema) string {
	typ := standardType(string(f.Type))
	if f.Type == bq.RecordFieldType {
		var parts []string
		for _, s := range f.Schema {
			parts = append(parts, s.Name+" "+schemaType(s))
		}
		typ = "STRUCT<" + strings.Join(parts, ", ") + ">"
	}
	if f.Repeated {
		typ = "ARRAY<" + typ + ">"
	}
	return typ
}

// TestGoogleSQL judges every statement the BigQuery warehouse sends with
// GoogleSQL's own analyzer (BigQuery's dialect): each query job of the
// tour is parsed whole and each statement in it analyzed against the
// warehouse's tables (the specs Ensure creates them from, and the
// per-load tables the loads create), with its query parameters typed as
// the client sent them. Every statement must be among what was judged.
func TestGoogleSQL(t *testing.T) {
	srv := googlesql.ForTest(t)
	stmts, created := tour(t)
	cat := append(catalog(), created...)
	ctx := context.Background()
	analyzed := 0
	parsed := map[string]int{}
	for _, st := range stmts {
		rep, err := srv.Check(ctx, st.sql, cat, st.params)
		analyzed += rep.Analyzed
		for _, p := range rep.Parsed {
			parsed[p]++
		}
		if err != nil {
			t.Errorf("%s: GoogleSQL rejects it: %v", st.name, err)
		}
	}
	reasons := make([]string, 0, len(parsed))
	for p, n := range parsed {
		reasons = append(reasons, fmt.Sprintf("%dx %s", n, p))
	}
	sort.Strings(reasons)
	t.Logf("GoogleSQL analyzed %d statements in %d query jobs; parsed only (with their script): %d", analyzed, len(stmts), len(reasons))
	if len(reasons) > 0 {
		// Nothing goes unjudged in silence: a statement the walker can
		// only parse is named here, to be made analyzable.
		t.Errorf("statements GoogleSQL only parsed, not analyzed:\n  %s", strings.Join(reasons, "\n  "))
	}

	// Every statement (sql/'s own and those shared with DuckDB, as
	// rendered) reached the analyzer: its first statement line is in some
	// job's SQL.
	for name, q := range statements {
		line := firstLine(q)
		if line == "" {
			continue
		}
		found := false
		for _, st := range stmts {
			if strings.Contains(st.sql, line) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s.sql (%q) was not sent by the tour, so GoogleSQL never judged it", name, line)
		}
	}
}

// firstLine is a file's first line that is neither a comment nor blank,
// nor a placeholder.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "--") || strings.HasPrefix(l, "{{") {
			continue
		}
		return l
	}
	return ""
}
