package saramin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/saramin"
)

const samplePath = "testdata/saramin-sample-2021-09-27.json"

func readSample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

// samplePage fetches the real 2021 sample through Search from a server
// that serves the file unchanged.
func samplePage(t *testing.T) (*saramin.Page, []byte) {
	t.Helper()
	body := readSample(t)
	srv := serve(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/job-search" || r.Header.Get("Accept") != "application/json" ||
			r.URL.Query().Get("access-key") != testKey {
			http.Error(w, `{"code":3,"message":"unexpected request"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	})
	c := newClient(t, srv.URL)
	p, err := c.Search(context.Background(), saramin.Query{JobMidCd: "2,15", Count: 110})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if got := srv.query(0).Get("job_mid_cd"); got != "2,15" {
		t.Errorf("job_mid_cd sent = %q, want 2,15", got)
	}
	return p, body
}

func TestSampleSearchEnvelope(t *testing.T) {
	t.Parallel()
	p, body := samplePage(t)
	if !bytes.Equal(p.Raw, body) {
		t.Errorf("Raw differs from the body served (%d vs %d bytes)", len(p.Raw), len(body))
	}
	if p.Total != 28327 {
		t.Errorf("Total = %d, want 28327 (sent as the string \"28327\")", p.Total)
	}
	if p.Start != 0 || p.Count != 110 || len(p.Jobs) != 110 {
		t.Errorf("Start, Count, len(Jobs) = %d, %d, %d; want 0, 110, 110", p.Start, p.Count, len(p.Jobs))
	}
}

// rawPosition decodes the position object of a raw job, to check facts
// about the sample itself.
func rawPosition(t *testing.T, raw json.RawMessage) map[string]map[string]any {
	t.Helper()
	var j struct {
		Position map[string]json.RawMessage `json:"position"`
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		t.Fatalf("decode raw job: %v", err)
	}
	out := map[string]map[string]any{}
	for k, v := range j.Position {
		var obj map[string]any
		if json.Unmarshal(v, &obj) == nil {
			out[k] = obj
		}
	}
	return out
}

func TestSampleParseJob(t *testing.T) {
	t.Parallel()
	p, _ := samplePage(t)
	posts := make([]saramin.Posting, 0, len(p.Jobs))
	ids := map[string]bool{}
	for i, raw := range p.Jobs {
		post, err := saramin.ParseJob(raw)
		if err != nil {
			t.Fatalf("job %d: ParseJob: %v", i, err)
		}
		if post.ID == "" || post.Title == "" {
			t.Errorf("job %d: empty id or title: %+v", i, post)
		}
		if ids[post.ID] {
			t.Errorf("job %d: duplicate id %s", i, post.ID)
		}
		ids[post.ID] = true
		if post.PostedAt.IsZero() || post.PostedAt.Location() != time.UTC {
			t.Errorf("job %s: PostedAt %v not a UTC time", post.ID, post.PostedAt)
		}
		if post.Extra != nil {
			t.Errorf("job %s: Extra = %s, want none for the sample's known fields", post.ID, post.Extra)
		}
		if post.Synthetic {
			t.Errorf("job %s: real posting marked synthetic", post.ID)
		}
		posts = append(posts, post)
	}
	if len(posts) != 110 {
		t.Fatalf("parsed %d postings, want 110", len(posts))
	}

	t.Run("exact timestamps", func(t *testing.T) {
		var got *saramin.Posting
		for i := range posts {
			if posts[i].ID == "41232704" {
				got = &posts[i]
			}
		}
		if got == nil {
			t.Fatal("posting 41232704 not found")
		}
		checks := []struct {
			name string
			got  time.Time
			want int64
		}{
			{"posting-timestamp", got.PostedAt, 1632734241},
			{"modification-timestamp", got.ModifiedAt, 1632734241},
			{"opening-timestamp", deref(got.OpeningAt), 1632733200},
			{"expiration-timestamp", deref(got.ExpiresAt), 1635346799},
		}
		for _, c := range checks {
			want := time.Unix(c.want, 0).UTC()
			if !c.got.Equal(want) || c.got.Location() != time.UTC {
				t.Errorf("%s = %v, want %v", c.name, c.got, want)
			}
		}
		if want := time.Date(2021, 9, 27, 9, 17, 21, 0, time.UTC); !got.PostedAt.Equal(want) {
			t.Errorf("PostedAt = %v, want %v", got.PostedAt, want)
		}
	})

	t.Run("several locations", func(t *testing.T) {
		multi := 0
		for _, post := range posts {
			if len(post.LocationCodes) != len(post.LocationNames) {
				t.Errorf("job %s: %d location codes, %d names", post.ID, len(post.LocationCodes), len(post.LocationNames))
			}
			if len(post.LocationCodes) > 1 {
				multi++
			}
		}
		if multi != 13 {
			t.Errorf("%d postings with several locations, want 13", multi)
		}
	})

	t.Run("job types split", func(t *testing.T) {
		n := 0
		for i, post := range posts {
			if rawPosition(t, p.Jobs[i])["job-type"]["code"] != "1,10,2" {
				continue
			}
			n++
			if want := []string{"1", "10", "2"}; !slices.Equal(post.JobTypeCodes, want) {
				t.Errorf("job %s: JobTypeCodes = %q, want %q", post.ID, post.JobTypeCodes, want)
			}
			if len(post.JobTypeNames) != 3 {
				t.Errorf("job %s: JobTypeNames = %q, want 3 names", post.ID, post.JobTypeNames)
			}
		}
		if n == 0 {
			t.Error("no posting with job-type 1,10,2 in the sample")
		}
	})

	t.Run("job-code names not zipped", func(t *testing.T) {
		differ := 0
		for i, post := range posts {
			jc := rawPosition(t, p.Jobs[i])["job-code"]
			codes, _ := jc["code"].(string)
			names, _ := jc["name"].(string)
			if got := strings.Join(post.JobCodes, ","); got != codes {
				t.Errorf("job %s: JobCodes %q, want whole list %q", post.ID, got, codes)
			}
			if got := strings.Join(post.JobCodeNames, ","); got != names {
				t.Errorf("job %s: JobCodeNames %q, want whole list %q", post.ID, got, names)
			}
			if len(post.JobCodes) != len(post.JobCodeNames) {
				differ++
			}
		}
		if differ < len(posts)/2 {
			t.Errorf("only %d of %d postings have as many job-code names as codes; the sample has 107 that differ", len(posts)-differ, len(posts))
		}
		if differ != 107 {
			t.Errorf("%d postings with len(names) != len(codes), want 107", differ)
		}
	})

	t.Run("mixed scalar types", func(t *testing.T) {
		for i, post := range posts {
			pos := rawPosition(t, p.Jobs[i])
			if _, ok := pos["experience-level"]["code"].(float64); !ok {
				t.Fatalf("job %s: sample experience code is not a JSON number", post.ID)
			}
			if _, ok := pos["required-education-level"]["code"].(string); !ok {
				t.Fatalf("job %s: sample education code is not a JSON string", post.ID)
			}
			if post.ExperienceCode == nil || *post.ExperienceCode < 0 || *post.ExperienceCode > 3 {
				t.Errorf("job %s: ExperienceCode = %v", post.ID, post.ExperienceCode)
			}
			if post.EducationCode == "" {
				t.Errorf("job %s: EducationCode empty", post.ID)
			}
		}
	})

	t.Run("salary without name", func(t *testing.T) {
		n := 0
		for _, post := range posts {
			if post.SalaryCode == "" {
				t.Errorf("job %s: empty salary code", post.ID)
			}
			if post.SalaryName == "" {
				n++
			}
		}
		if n != 6 {
			t.Errorf("%d postings with a salary without name, want 6", n)
		}
	})
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
