package saramin_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
)

// baseJob returns the first posting of the real sample as a generic map,
// for tests to change.
func baseJob(t *testing.T) map[string]any {
	t.Helper()
	var r struct {
		Jobs struct {
			Job []map[string]any `json:"job"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(readSample(t), &r); err != nil {
		t.Fatalf("decode sample: %v", err)
	}
	return r.Jobs.Job[0]
}

// setPath sets (or, with del, removes) a dotted path in a job map.
func setPath(m map[string]any, path string, v any, del bool) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		m = m[p].(map[string]any)
	}
	if del {
		delete(m, parts[len(parts)-1])
		return
	}
	m[parts[len(parts)-1]] = v
}

func TestParseJobDrift(t *testing.T) {
	t.Parallel()
	type change struct {
		path string
		v    any
		del  bool
	}
	tests := []struct {
		name    string
		changes []change
		raw     string // used instead of the changed sample job when set
		wantErr bool
		check   func(t *testing.T, p saramin.Posting)
	}{
		{
			name:    "unknown top-level and position fields land in Extra",
			changes: []change{{path: "benefits", v: "4대보험"}, {path: "position.remote", v: true}},
			check: func(t *testing.T, p saramin.Posting) {
				var extra map[string]any
				if err := json.Unmarshal(p.Extra, &extra); err != nil {
					t.Fatalf("Extra %s: %v", p.Extra, err)
				}
				if extra["benefits"] != "4대보험" || extra["position.remote"] != true || len(extra) != 2 {
					t.Errorf("Extra = %s", p.Extra)
				}
				if want := []string{"benefits is a field the API did not send before, kept in extra", "position.remote is a field the API did not send before, kept in extra"}; !sameSet(p.Drift, want) {
					t.Errorf("drift noted %q; want %q", p.Drift, want)
				}
			},
		},
		{
			name:    "non-empty job-category kept in Extra",
			changes: []change{{path: "position.job-category", v: map[string]any{"code": "9"}}},
			check: func(t *testing.T, p saramin.Posting) {
				if !strings.Contains(string(p.Extra), `"position.job-category"`) {
					t.Errorf("Extra = %s, want position.job-category", p.Extra)
				}
			},
		},
		{
			name:    "renamed field: old name missing, new name kept in Extra",
			changes: []change{{path: "keyword", del: true}, {path: "keywords", v: "서치펌,헤드헌팅"}},
			check: func(t *testing.T, p saramin.Posting) {
				if len(p.Keywords) != 0 {
					t.Errorf("Keywords = %q, want none", p.Keywords)
				}
				if !strings.Contains(string(p.Extra), `"keywords"`) {
					t.Errorf("Extra = %s, want the renamed field", p.Extra)
				}
			},
		},
		{
			name:    "number where a string was expected",
			changes: []change{{path: "id", v: 41232704}, {path: "posting-timestamp", v: 1632734241}, {path: "position.industry.code", v: 111}, {path: "salary.code", v: 99}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.ID != "41232704" || p.IndustryCode != "111" || p.SalaryCode != "99" || p.PostedAt.Unix() != 1632734241 {
					t.Errorf("got id %q industry %q salary %q posted %v", p.ID, p.IndustryCode, p.SalaryCode, p.PostedAt)
				}
			},
		},
		{
			name:    "string where a number was expected",
			changes: []change{{path: "position.experience-level.code", v: "2"}, {path: "position.experience-level.min", v: "10"}, {path: "active", v: "1"}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.ExperienceCode == nil || *p.ExperienceCode != 2 || p.ExperienceMin == nil || *p.ExperienceMin != 10 {
					t.Errorf("experience code %v min %v", p.ExperienceCode, p.ExperienceMin)
				}
				if p.Active == nil || !*p.Active {
					t.Errorf("Active = %v, want true", p.Active)
				}
				if want := []string{"position.experience-level.code not a number, read as one", "position.experience-level.min not a number, read as one", "active not a number, read as one"}; !sameSet(p.Drift, want) {
					t.Errorf("drift noted %q; want %q", p.Drift, want)
				}
			},
		},
		{
			name:    "boolean active",
			changes: []change{{path: "active", v: false}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.Active == nil || *p.Active {
					t.Errorf("Active = %v, want false", p.Active)
				}
			},
		},
		{
			name:    "missing optional fields become null",
			changes: []change{{path: "salary", del: true}, {path: "opening-timestamp", del: true}, {path: "position.experience-level", del: true}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.SalaryCode != "" || p.OpeningAt != nil || p.ExperienceCode != nil || len(p.Drift) != 0 {
					t.Errorf("salary %q opening %v experience %v drift %v", p.SalaryCode, p.OpeningAt, p.ExperienceCode, p.Drift)
				}
			},
		},
		{
			name:    "timestamps in milliseconds, ISO-8601 with and without a zone",
			changes: []change{{path: "modification-timestamp", v: "1632734241000"}, {path: "posting-timestamp", v: "2021-09-27T18:17:21+09:00"}, {path: "expiration-timestamp", v: "2021-10-27 23:59:59"}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.ModifiedAt.Unix() != 1632734241 || p.PostedAt.Unix() != 1632734241 || p.ExpiresAt == nil || !p.ExpiresAt.Equal(time.Date(2021, 10, 27, 14, 59, 59, 0, time.UTC)) {
					t.Errorf("modified %v posted %v expires %v", p.ModifiedAt, p.PostedAt, p.ExpiresAt)
				}
				if want := []string{"posting-timestamp as ISO-8601", "modification-timestamp in milliseconds", "expiration-timestamp as ISO-8601 without a zone, read in KST"}; !sameSet(p.Drift, want) {
					t.Errorf("drift noted %q; want %q", p.Drift, want)
				}
			},
		},
		{
			name:    "an unreadable optional timestamp is null, noted",
			changes: []change{{path: "expiration-timestamp", v: "next month"}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.ExpiresAt != nil || len(p.Drift) != 1 || p.Drift[0] != "expiration-timestamp unreadable, left null" {
					t.Errorf("expires %v drift %q", p.ExpiresAt, p.Drift)
				}
			},
		},
		{
			name:    "optional fields changing shape become null, noted",
			changes: []change{{path: "salary", v: []any{"99", "면접후 결정"}}, {path: "keyword", v: []any{"SQL", "Python"}}, {path: "position.location", v: "서울"}, {path: "company", v: []any{}}, {path: "read-cnt", v: map[string]any{"n": 3}}},
			check: func(t *testing.T, p saramin.Posting) {
				if p.SalaryCode != "" || len(p.Keywords) != 0 || len(p.LocationCodes) != 0 || p.ReadCount != nil || p.Title == "" {
					t.Errorf("salary %q keywords %q locations %q reads %v title %q", p.SalaryCode, p.Keywords, p.LocationCodes, p.ReadCount, p.Title)
				}
				want := []string{"salary changed shape, left null", "keyword changed shape, left null", "position.location changed shape, left null", "company changed shape, left null", "read-cnt changed shape, left null"}
				if !sameSet(p.Drift, want) {
					t.Errorf("drift noted %q; want %q", p.Drift, want)
				}
			},
		},
		// The modification time orders versions: never guessed.
		{name: "missing modification-timestamp", changes: []change{{path: "modification-timestamp", del: true}}, wantErr: true},
		{name: "unreadable modification-timestamp", changes: []change{{path: "modification-timestamp", v: "yesterday"}}, wantErr: true},
		{name: "modification-timestamp out of range", changes: []change{{path: "modification-timestamp", v: "99999999999999999"}}, wantErr: true},
		{
			name:    "null values",
			changes: []change{{path: "keyword", v: nil}, {path: "position.job-code", v: nil}},
			check: func(t *testing.T, p saramin.Posting) {
				if len(p.Keywords) != 0 || len(p.JobCodes) != 0 || len(p.JobCodeNames) != 0 {
					t.Errorf("keywords %q job codes %q names %q", p.Keywords, p.JobCodes, p.JobCodeNames)
				}
			},
		},
		{name: "missing id", changes: []change{{path: "id", del: true}}, wantErr: true},
		{name: "blank id", changes: []change{{path: "id", v: "  "}}, wantErr: true},
		{name: "missing title", changes: []change{{path: "position.title", del: true}}, wantErr: true},
		{name: "missing posting-timestamp", changes: []change{{path: "posting-timestamp", del: true}}, wantErr: true},
		{name: "object where a scalar was expected", changes: []change{{path: "position.title", v: map[string]any{"ko": "개발자"}}}, wantErr: true},
		{name: "array where a scalar was expected", changes: []change{{path: "id", v: []any{"1", "2"}}}, wantErr: true},
		{name: "scalar where an object was expected", changes: []change{{path: "position", v: "개발자"}}, wantErr: true},
		{name: "not an object", raw: `["41232704"]`, wantErr: true},
		{name: "truncated record", raw: `{"id":"1","position":{"title":"x"`, wantErr: true},
		{name: "null record", raw: `null`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if tt.raw == "" {
				job := baseJob(t)
				for _, c := range tt.changes {
					setPath(job, c.path, c.v, c.del)
				}
				var err error
				if raw, err = json.Marshal(job); err != nil {
					t.Fatal(err)
				}
			}
			p, err := saramin.ParseJob(raw)
			if tt.wantErr {
				if !errors.Is(err, saramin.ErrRecord) {
					t.Fatalf("ParseJob error = %v, want one wrapping ErrRecord", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseJob: %v", err)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
