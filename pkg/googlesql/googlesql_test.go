package googlesql_test

import (
	"context"
	"strings"
	"testing"

	"jobpulse/pkg/googlesql"
)

var tables = []googlesql.Table{
	{Name: "core.recruit", Columns: []googlesql.Column{{Name: "id", Type: "STRING"}, {Name: "title", Type: "STRING"},
		{Name: "modified_at", Type: "TIMESTAMP"}, {Name: "skills", Type: "ARRAY<STRING>"}, {Name: "extra", Type: "JSON"}}},
	{Name: "meta.versions", Columns: []googlesql.Column{{Name: "table_name", Type: "STRING"}, {Name: "hash", Type: "STRING"}}},
}

// TestCheck: statements and scripts GoogleSQL accepts, and one of each
// kind of defect it must catch, with its own message.
func TestCheck(t *testing.T) {
	t.Parallel()
	s := googlesql.ForTest(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		sql      string
		params   map[string]string
		want     string // in the error; "" for accepted
		analyzed int
	}{
		{name: "query with a parameter", sql: "SELECT id, ARRAY_LENGTH(skills) AS n FROM `core.recruit` WHERE id = @id",
			params: map[string]string{"id": "STRING"}, analyzed: 1},
		{name: "MERGE with a QUALIFY source, JSON and a zone",
			sql: "MERGE `core.recruit` T USING (SELECT * FROM `core.recruit` WHERE TRUE QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY modified_at DESC) = 1) S " +
				"ON T.id = S.id WHEN MATCHED THEN UPDATE SET title = JSON_VALUE(S.extra, '$.title'), modified_at = TIMESTAMP_TRUNC(S.modified_at, HOUR, 'Asia/Seoul') " +
				"WHEN NOT MATCHED THEN INSERT ROW", analyzed: 1},
		{name: "reserved word unquoted", sql: "SELECT table_name, hash FROM `meta.versions`", want: "Syntax error: Expected end of input but got keyword HASH"},
		{name: "reserved word quoted", sql: "SELECT table_name, `hash` FROM `meta.versions`", analyzed: 1},
		{name: "QUALIFY alone", sql: "SELECT id FROM `core.recruit` QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY modified_at DESC) = 1",
			want: "QUALIFY clause must be used in conjunction with WHERE or GROUP BY or HAVING clause"},
		{name: "unknown column", sql: "SELECT nope FROM `core.recruit`", want: "Unrecognized name: nope"},
		{name: "type mismatch in a MERGE", sql: "MERGE `core.recruit` T USING (SELECT 'a' AS id, 'b' AS m) S ON T.id = S.id WHEN MATCHED THEN UPDATE SET modified_at = S.m",
			want: "Value of type STRING cannot be assigned to modified_at, which has type TIMESTAMP"},
		{name: "undeclared parameter", sql: "SELECT * FROM `core.recruit` WHERE id = @nobody", want: "Query parameter 'nobody' not found"},
		{name: "script with variables, a temp table, IF and an exception handler", sql: `
DECLARE n INT64;
DECLARE checks ARRAY<STRUCT<name STRING, failed INT64>> DEFAULT [];
DECLARE checks_failed BOOL DEFAULT FALSE;
BEGIN
  BEGIN TRANSACTION;
  CREATE TEMP TABLE batch AS SELECT id AS k, modified_at FROM ` + "`core.recruit`" + ` WHERE id = @id;
  SET n = (SELECT COUNT(*) FROM batch);
  SET checks = ARRAY(SELECT AS STRUCT 'rows' AS name, n AS failed);
  SET checks_failed = EXISTS(SELECT 1 FROM UNNEST(checks) WHERE failed > 0);
  IF NOT checks_failed THEN
    DELETE FROM ` + "`core.recruit`" + ` WHERE id IN (SELECT k FROM batch);
    COMMIT TRANSACTION;
  ELSE
    ROLLBACK TRANSACTION;
  END IF;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE USING MESSAGE = @@error.message;
END;
SELECT n AS staged, c.name FROM (SELECT 1) LEFT JOIN UNNEST(checks) AS c ON TRUE;`,
			params: map[string]string{"id": "STRING"}, analyzed: 14},
		{name: "a variable named as a column", sql: "DECLARE title STRING; SET title = (SELECT MAX(title) FROM `core.recruit`);",
			want: "variable title has the name of a column of core.recruit"},
		{name: "a variable named as a column of a table not read", sql: "DECLARE table_name STRING; SET table_name = (SELECT MAX(title) FROM `core.recruit`);", analyzed: 1},
		{name: "a variable named as a field of another", sql: "DECLARE c ARRAY<STRUCT<failed INT64>>; DECLARE failed BOOL;",
			want: "variable c has a field of that name"},
		{name: "RAISE with a message not a STRING", sql: "BEGIN SELECT 1; EXCEPTION WHEN ERROR THEN RAISE USING MESSAGE = 42; END;",
			want: "RAISE USING MESSAGE: a value of type INT64 cannot be assigned to a variable of type STRING"},
		{name: "script syntax", sql: "DECLARE n INT64; IF n > 1 THEN SELECT 1; END;", want: "Syntax error"},
		{name: "DEFAULT of another type", sql: "DECLARE n INT64 DEFAULT 'x';", want: "a value of type STRING cannot be assigned to a variable of type INT64"},
		{name: "SET of another type", sql: "DECLARE n INT64; SET n = 1.5;", want: "a value of type FLOAT64 cannot be assigned"},
		{name: "IF on a non-BOOL", sql: "DECLARE n INT64 DEFAULT 1; IF n THEN SELECT 1; END IF;", want: "not BOOL"},
		{name: "a column unknown inside a script", sql: "DECLARE n INT64; BEGIN SET n = (SELECT COUNT(nope) FROM `core.recruit`); END;", want: "Unrecognized name: nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, err := s.Check(ctx, tc.sql, tables, tc.params)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if rep.Analyzed != tc.analyzed {
					t.Errorf("analyzed %d statements, want %d (parsed only: %v)", rep.Analyzed, tc.analyzed, rep.Parsed)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
}

// TestVerdictOrFailure: GoogleSQL's refusal is told apart from a failure
// to ask it.
func TestVerdictOrFailure(t *testing.T) {
	t.Parallel()
	s := googlesql.ForTest(t)
	_, err := s.Analyze(context.Background(), "SELEC 1", nil, nil)
	if !googlesql.IsVerdict(err) {
		t.Errorf("a syntax error: %v; want a verdict", err)
	}
	s.Close()
	_, err = s.Analyze(context.Background(), "SELECT 1", nil, nil)
	if err == nil || googlesql.IsVerdict(err) {
		t.Errorf("a stopped analyzer: %v; want a failure, not a verdict", err)
	}
	if _, err := googlesql.Start(context.Background(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "scripts/googlesql.sh") {
		t.Errorf("Start without the analyzer: %v; want an error saying how to install it", err)
	}
}

func TestTypes(t *testing.T) {
	t.Parallel()
	s := googlesql.ForTest(t)
	for _, typ := range []string{"INT64", "ARRAY<STRING>", "STRUCT<name STRING, failed INT64>", "ARRAY<STRUCT<a DATE, b ARRAY<FLOAT64>>>", "JSON", "TIMESTAMP", "STRUCT<TIMESTAMP, ARRAY<INT64>, BOOL>"} {
		r, err := s.Analyze(context.Background(), "SELECT CAST(NULL AS "+typ+") AS v", nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if len(r.Columns) != 1 || r.Columns[0].Type != typ {
			t.Errorf("%s: read back as %v", typ, r.Columns)
		}
	}
	if _, err := s.Analyze(context.Background(), "SELECT 1", []googlesql.Table{{Name: "t", Columns: []googlesql.Column{{Name: "c", Type: "VARCHAR"}}}}, nil); err == nil || !strings.Contains(err.Error(), "VARCHAR") {
		t.Errorf("a catalog with an unknown type: %v", err)
	}
}
