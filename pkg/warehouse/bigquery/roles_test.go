package bigquery

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/warehousetest"
)

// testClassifier stands in for pkg/role and records each title it is asked
// about.
func testClassifier(calls *[]string, mu *sync.Mutex) warehouse.Classifier {
	return func(title string, jobCodes, jobCodeNames, keywords, mids []string) (string, string) {
		mu.Lock()
		*calls = append(*calls, title)
		mu.Unlock()
		switch {
		case strings.Contains(title, "ML"):
			return "ml_engineer", ""
		case strings.Contains(title, "엔지니어"):
			return "data_engineer", ""
		case strings.Contains(title, "웹"):
			return "", "backend"
		}
		return "", ""
	}
}

func TestLoadRecruitGoRoles(t *testing.T) {
	f := newFakeBQ(t)
	f.loadRows = 2
	f.rows["SELECT n_staged AS staged"] = scriptResult(4, 3, 0, 0)
	var calls []string
	var mu sync.Mutex
	w := f.open(t, WithBucket("lake"), WithClassifier(testClassifier(&calls, &mu)))
	p, base := warehousetest.Posting, warehousetest.Base
	lake := warehousetest.Lake{
		"clean/r1/0.ndjson": warehousetest.NDJSON(p("1", "빅데이터 플랫폼 엔지니어", base, "r1"), p("2", "웹 개발자", base, "r1")),
		// A newer version of 1 in the second object: its role is the one kept.
		"clean/r1/1.ndjson": warehousetest.NDJSON(p("1", "ML 플랫폼 개발", base.Add(time.Hour), "r1"), p("3", "데이터 엔지니어", base, "r1")),
	}
	b := warehouse.Batch{Source: source.Saramin, RunID: "r1", Objects: []string{"clean/r1/0.ndjson", "clean/r1/1.ndjson"}}
	got, err := w.LoadRecruit(context.Background(), b, lake)
	if err != nil {
		t.Fatalf("LoadRecruit: %v", err)
	}
	if got.Staged != 4 || got.Inserted != 3 {
		t.Errorf("LoadRecruit = %+v; the roles load must not count as staged rows", got)
	}
	if len(calls) != 3 {
		t.Errorf("classifier called for %q; want once per id (the newest version)", calls)
	}

	// One load job per object, and one roles upload.
	var roles []request
	var objectLoads int
	for _, r := range f.recorded(http.MethodPost, "/jobs") {
		cfg, _ := r.Body["configuration"].(map[string]any)
		l, ok := cfg["load"].(map[string]any)
		if !ok {
			continue
		}
		if l["sourceUris"] != nil {
			objectLoads++
			continue
		}
		roles = append(roles, r)
	}
	if objectLoads != 2 || len(roles) != 1 {
		t.Fatalf("%d object load jobs, %d roles uploads; want 2, 1", objectLoads, len(roles))
	}
	l := roles[0].Body["configuration"].(map[string]any)["load"].(map[string]any)
	table := l["destinationTable"].(map[string]any)["tableId"].(string)
	if !strings.HasPrefix(table, "load_r1_") || !strings.HasSuffix(table, "_roles") {
		t.Errorf("roles destination %q: want a per-load table", table)
	}
	if l["sourceFormat"] != "NEWLINE_DELIMITED_JSON" || l["writeDisposition"] != "WRITE_APPEND" || l["createDisposition"] != "CREATE_NEVER" {
		t.Errorf("roles load: format %v, dispositions %v %v", l["sourceFormat"], l["writeDisposition"], l["createDisposition"])
	}
	if fields := strings.Join(fieldsOf(l["schema"]), ","); !strings.Contains(fields, "id STRING") ||
		!strings.Contains(fields, "modified_at TIMESTAMP") || !strings.Contains(fields, "role STRING") ||
		!strings.Contains(fields, "it_group STRING") {
		t.Errorf("roles schema = %s", fields)
	}
	type row struct {
		ID         string    `json:"id"`
		ModifiedAt time.Time `json:"modified_at"`
		Role       *string   `json:"role"`
		Group      *string   `json:"it_group"`
	}
	rows := map[string]row{}
	for _, line := range bytes.Split(bytes.TrimSpace(roles[0].Media), []byte("\n")) {
		var r row
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("roles line %s: %v", line, err)
		}
		if _, dup := rows[r.ID]; dup {
			t.Errorf("id %s uploaded twice", r.ID)
		}
		rows[r.ID] = r
	}
	str := func(s *string) string {
		if s == nil {
			return "<null>"
		}
		return *s
	}
	want := map[string]struct {
		role, group string
		at          time.Time
	}{"1": {"ml_engineer", "<null>", base.Add(time.Hour)}, "2": {"<null>", "backend", base}, "3": {"data_engineer", "<null>", base}}
	if len(rows) != len(want) {
		t.Errorf("uploaded roles %v; want %v", rows, want)
	}
	for id, wr := range want {
		r := rows[id]
		if str(r.Role) != wr.role || str(r.Group) != wr.group || !r.ModifiedAt.Equal(wr.at) {
			t.Errorf("role of %s = %s/%s at %v; want %s/%s at %v", id, str(r.Role), str(r.Group), r.ModifiedAt, wr.role, wr.group, wr.at)
		}
	}

	// The roles table was created with an expiration and dropped.
	var created bool
	for _, r := range f.recorded(http.MethodPost, "/datasets/staging/tables") {
		ref, _ := r.Body["tableReference"].(map[string]any)
		if ref["tableId"] == table {
			_, created = r.Body["expirationTime"]
		}
	}
	if !created || len(f.recorded(http.MethodDelete, "/tables/"+table)) != 1 {
		t.Errorf("roles table %s: created with expiration %v, deleted %d times", table, created, len(f.recorded(http.MethodDelete, "/tables/"+table)))
	}

	// The script takes the roles from that table, not from the title patterns.
	sql := f.jobConfigs("query")[0]["query"].(string)
	if !strings.Contains(sql, "JOIN `proj.staging."+table+"` r ON r.id = e.id AND r.modified_at = e.modified_at") {
		t.Errorf("script does not join the roles table %s on id and modified_at", table)
	}
	for _, bad := range []string{"{{", "데이터 사이언티스트", "LIKE '%"} {
		if strings.Contains(sql, bad) {
			t.Errorf("script with a classifier contains %q", bad)
		}
	}
	if !strings.Contains(sql, "INSERT INTO `external.recruit_role` (id, role, it_group)\nSELECT id, role, it_group FROM go_roles") {
		t.Error("script does not write external.recruit_role from the Go roles")
	}
}

func TestLoadRecruitGoRolesErrors(t *testing.T) {
	ctx := context.Background()
	b := warehouse.Batch{RunID: "r1", Objects: []string{"o"}}
	classify := func(string, []string, []string, []string, []string) (string, string) { return "", "" }
	t.Run("no opener", func(t *testing.T) {
		f := newFakeBQ(t)
		_, err := f.open(t, WithBucket("lake"), WithClassifier(classify)).LoadRecruit(ctx, b, nil)
		if err == nil || !strings.Contains(err.Error(), "Opener") {
			t.Errorf("err = %v; want one naming the missing Opener", err)
		}
	})
	t.Run("missing object", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 1
		_, err := f.open(t, WithBucket("lake"), WithClassifier(classify)).LoadRecruit(ctx, b, warehousetest.Lake{})
		if err == nil || !strings.Contains(err.Error(), "roles: open o") {
			t.Errorf("err = %v; want the roles read error", err)
		}
		if n := len(f.jobConfigs("query")); n != 0 {
			t.Errorf("%d query jobs after a failed roles read; want none", n)
		}
	})
	t.Run("malformed line", func(t *testing.T) {
		f := newFakeBQ(t)
		f.loadRows = 1
		lake := warehousetest.Lake{"o": warehousetest.Lines(`{"id":"1"}`, `{"id":`)}
		_, err := f.open(t, WithBucket("lake"), WithClassifier(classify)).LoadRecruit(ctx, b, lake)
		if err == nil || !strings.Contains(err.Error(), "roles: o posting 2") {
			t.Errorf("err = %v; want the decode error", err)
		}
	})
}
