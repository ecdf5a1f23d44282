package bigquery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"google.golang.org/api/option"

	"jobpulse/pkg/warehouse/warehousetest"
)

// request is one recorded call to the fake BigQuery API.
type request struct {
	Method, Path string
	Body         map[string]any
	Media        []byte // the data of a media upload (a load job from a reader)
}

// fakeBQ is a recorded-request server: just enough of the BigQuery REST
// API v2 (datasets and tables insert, jobs insert/get/getQueryResults,
// jobs.query) that the real client library is satisfied. It records every
// request and answers with plausible JSON. Query results come from rows
// (by a substring of the SQL); jobs whose SQL or source URI contains a
// key of fail end with that error.
type fakeBQ struct {
	t       *testing.T
	project string

	mu       sync.Mutex
	requests []request
	created  map[string]bool           // dataset and table paths created
	jobs     map[string]map[string]any // job id -> configuration
	rows     map[string]fakeResult     // SQL substring -> result
	fail     map[string]string         // SQL/URI substring -> error message
	loadRows int64                     // outputRows of every load job
	modified map[string]int64          // "dataset.table" -> lastModifiedTime (ms) of tables.get
	// forbidDatasets answers 403 to every dataset creation, as BigQuery
	// does to an account without bigquery.datasets.create, existing or not.
	forbidDatasets bool
}

type fakeResult struct {
	fields []string // column names, all typed by types
	types  []string
	rows   [][]any
}

func newFakeBQ(t *testing.T) *fakeBQ {
	f := &fakeBQ{t: t, project: "proj", created: map[string]bool{}, jobs: map[string]map[string]any{},
		rows: map[string]fakeResult{}, fail: map[string]string{}, modified: map[string]int64{}}
	return f
}

// open starts the server and opens a Warehouse against it.
func (f *fakeBQ) open(t *testing.T, opts ...Option) *Warehouse {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	opts = append([]Option{WithClientOptions(
		// The generated client resolves paths relative to the endpoint, so
		// it must carry the API's /bigquery/v2/ prefix.
		option.WithEndpoint(srv.URL+"/bigquery/v2/"),
		option.WithoutAuthentication(),
	)}, opts...)
	w, err := Open(context.Background(), f.project, "asia-northeast3", opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func (f *fakeBQ) serve(rw http.ResponseWriter, r *http.Request) {
	var body map[string]any
	var media []byte
	if mt, ps, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && strings.HasPrefix(mt, "multipart/") {
		// A multipart upload (jobs.insert with media): the job's JSON, then the data.
		mr := multipart.NewReader(r.Body, ps["boundary"])
		if p, err := mr.NextPart(); err == nil {
			_ = json.NewDecoder(p).Decode(&body)
		}
		if p, err := mr.NextPart(); err == nil {
			media, _ = io.ReadAll(p)
		}
	} else if r.Body != nil {
		_ = json.NewDecoder(r.Body).Decode(&body)
	}
	path := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/upload"), "/bigquery/v2")
	f.mu.Lock()
	f.requests = append(f.requests, request{Method: r.Method, Path: path, Body: body, Media: media})
	f.mu.Unlock()

	parts := strings.Split(strings.Trim(path, "/"), "/")
	reply := func(code int, v any) {
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(code)
		_ = json.NewEncoder(rw).Encode(v)
	}
	apiErr := func(code int, msg string) {
		reply(code, map[string]any{"error": map[string]any{"code": code, "message": msg,
			"errors": []any{map[string]any{"reason": "invalid", "message": msg}}}})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	// GET /projects/p/datasets/d
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "datasets":
		if !f.created["datasets/"+parts[3]] {
			apiErr(http.StatusNotFound, "Not found: Dataset "+parts[3])
			return
		}
		reply(http.StatusOK, map[string]any{"datasetReference": map[string]any{"projectId": f.project, "datasetId": parts[3]}})
	// POST /projects/p/datasets
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "datasets":
		ref, _ := body["datasetReference"].(map[string]any)
		key := fmt.Sprint("datasets/", ref["datasetId"])
		if f.forbidDatasets {
			apiErr(http.StatusForbidden, "Access Denied: Project "+f.project+": User does not have bigquery.datasets.create permission")
			return
		}
		if f.created[key] {
			apiErr(http.StatusConflict, "Already Exists: Dataset "+key)
			return
		}
		f.created[key] = true
		reply(http.StatusOK, body)
	// POST /projects/p/datasets/d/tables
	case r.Method == http.MethodPost && len(parts) == 5 && parts[4] == "tables":
		ref, _ := body["tableReference"].(map[string]any)
		key := fmt.Sprint("tables/", ref["datasetId"], ".", ref["tableId"])
		if f.created[key] {
			apiErr(http.StatusConflict, "Already Exists: Table "+key)
			return
		}
		f.created[key] = true
		reply(http.StatusOK, body)
	// GET /projects/p/datasets/d/tables/t (metadata)
	case r.Method == http.MethodGet && len(parts) == 6 && parts[4] == "tables":
		ms, ok := f.modified[parts[3]+"."+parts[5]]
		if !ok {
			apiErr(http.StatusNotFound, "Not found: Table "+parts[3]+"."+parts[5])
			return
		}
		reply(http.StatusOK, map[string]any{"tableReference": map[string]any{"projectId": f.project, "datasetId": parts[3], "tableId": parts[5]},
			"lastModifiedTime": fmt.Sprint(ms), "type": "TABLE"})
	// DELETE /projects/p/datasets/d/tables/t
	case r.Method == http.MethodDelete && len(parts) == 6 && parts[4] == "tables":
		rw.WriteHeader(http.StatusNoContent)
	// POST /projects/p/jobs
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "jobs":
		ref, _ := body["jobReference"].(map[string]any)
		id, _ := ref["jobId"].(string)
		cfg, _ := body["configuration"].(map[string]any)
		f.jobs[id] = cfg
		reply(http.StatusOK, f.job(id))
	// GET /projects/p/jobs/id
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "jobs":
		if _, ok := f.jobs[parts[3]]; !ok {
			apiErr(http.StatusNotFound, "Not found: Job "+parts[3])
			return
		}
		reply(http.StatusOK, f.job(parts[3]))
	// GET /projects/p/queries/id (getQueryResults)
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "queries":
		cfg, ok := f.jobs[parts[3]]
		if !ok {
			apiErr(http.StatusNotFound, "Not found: Job "+parts[3])
			return
		}
		if msg := f.failure(cfg); msg != "" {
			apiErr(http.StatusBadRequest, msg)
			return
		}
		res := f.result(cfg)
		out := map[string]any{
			"kind": "bigquery#getQueryResultsResponse", "jobComplete": true,
			"jobReference": map[string]any{"projectId": f.project, "jobId": parts[3], "location": "asia-northeast3"},
			"schema":       res.schema(), "totalRows": fmt.Sprint(len(res.rows)),
		}
		if r.URL.Query().Get("maxResults") != "0" {
			out["rows"] = res.encodeRows()
		}
		reply(http.StatusOK, out)
	default:
		apiErr(http.StatusNotFound, "fakeBQ: no route for "+r.Method+" "+path)
	}
}

// job is the jobs.get answer for id: done, with an errorResult when the
// job should fail, and load statistics for a load job.
func (f *fakeBQ) job(id string) map[string]any {
	cfg := f.jobs[id]
	status := map[string]any{"state": "DONE"}
	if msg := f.failure(cfg); msg != "" {
		status["errorResult"] = map[string]any{"reason": "invalid", "message": msg}
		status["errors"] = []any{map[string]any{"reason": "invalid", "message": msg}}
	}
	stats := map[string]any{"creationTime": "1714557600000"}
	if _, ok := cfg["load"]; ok {
		stats["load"] = map[string]any{"outputRows": fmt.Sprint(f.loadRows)}
	} else {
		stats["query"] = map[string]any{"statementType": "SCRIPT"}
	}
	return map[string]any{
		"kind":          "bigquery#job",
		"id":            f.project + ":asia-northeast3." + id,
		"jobReference":  map[string]any{"projectId": f.project, "jobId": id, "location": "asia-northeast3"},
		"configuration": cfg,
		"status":        status,
		"statistics":    stats,
	}
}

func (f *fakeBQ) failure(cfg map[string]any) string {
	b, _ := json.Marshal(cfg)
	for k, msg := range f.fail {
		if strings.Contains(string(b), k) {
			return msg
		}
	}
	return ""
}

func (f *fakeBQ) result(cfg map[string]any) fakeResult {
	q, _ := cfg["query"].(map[string]any)
	sql, _ := q["query"].(string)
	for k, res := range f.rows {
		if strings.Contains(sql, k) {
			return res
		}
	}
	return fakeResult{}
}

func (r fakeResult) schema() map[string]any {
	var fields []any
	for i, name := range r.fields {
		fd := map[string]any{"name": name, "type": r.types[i], "mode": "NULLABLE"}
		if strings.HasSuffix(r.types[i], "[]") {
			fd["type"], fd["mode"] = strings.TrimSuffix(r.types[i], "[]"), "REPEATED"
		}
		fields = append(fields, fd)
	}
	return map[string]any{"fields": fields}
}

// encodeRows writes rows in the API's f/v form (values as strings).
func (r fakeResult) encodeRows() []any {
	var out []any
	for _, row := range r.rows {
		var cells []any
		for _, v := range row {
			switch v := v.(type) {
			case nil:
				cells = append(cells, map[string]any{"v": nil})
			case []string:
				vs := []any{} // an empty list is [], as the API sends it
				for _, s := range v {
					vs = append(vs, map[string]any{"v": s})
				}
				cells = append(cells, map[string]any{"v": vs})
			default:
				cells = append(cells, map[string]any{"v": fmt.Sprint(v)})
			}
		}
		out = append(out, map[string]any{"f": cells})
	}
	return out
}

// recorded returns the requests matching method and a path suffix.
func (f *fakeBQ) recorded(method, pathSuffix string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []request
	for _, r := range f.requests {
		if r.Method == method && strings.HasSuffix(r.Path, pathSuffix) {
			out = append(out, r)
		}
	}
	return out
}

// jobConfigs returns the configurations of inserted jobs of a kind ("load", "query").
func (f *fakeBQ) jobConfigs(kind string) []map[string]any {
	var out []map[string]any
	for _, r := range f.recorded(http.MethodPost, "/jobs") {
		cfg, _ := r.Body["configuration"].(map[string]any)
		if c, ok := cfg[kind].(map[string]any); ok {
			out = append(out, c)
		}
	}
	return out
}

// anyObject opens every lake object as one posting, for the tests of a
// load whose roles (read from the objects) are not what they check.
type anyObject struct{}

func (anyObject) Open(context.Context, string) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(warehousetest.NDJSON(warehousetest.Posting("1", "데이터 엔지니어", warehousetest.Base, "r1")))), nil
}
