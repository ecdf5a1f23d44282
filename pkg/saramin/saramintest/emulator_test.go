package saramintest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/saramin"
)

// testNow is the reference clock of these tests: a Friday afternoon.
var testNow = time.Date(2026, 11, 20, 15, 0, 0, 0, kst.Zone)

// seven is the seed-7 market at testNow, generated once for the tests that
// read it; each forks it for a clock, quota and faults of its own.
var seven = sync.OnceValues(func() (*Emulator, error) { return New(Options{Seed: 7, Now: testNow}) })

// forkSeven is a server of its own on the shared seed-7 market.
func forkSeven(t *testing.T) *Server {
	t.Helper()
	base, err := seven()
	if err != nil {
		t.Fatal(err)
	}
	e, err := base.Fork(Options{Seed: 7, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	s := Serve(e)
	t.Cleanup(s.Close)
	return s
}

func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func call(t *testing.T, base string, params url.Values) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/job-search?"+params.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

func params(kv ...string) url.Values {
	v := url.Values{"access-key": {DefaultKey}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func decodePage(t *testing.T, a answer) saramin.Response {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var r saramin.Response
	if err := json.Unmarshal(a.body, &r); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return r
}

// walk fetches every page of a query with count=110 and parses every job.
func walk(t *testing.T, base string, p url.Values) (jobs []saramin.Posting, total int) {
	t.Helper()
	p.Set("count", "110")
	for page := 0; ; page++ {
		p.Set("start", strconv.Itoa(page))
		r := decodePage(t, call(t, base, p))
		n, _ := r.Jobs.Total.Int()
		total = int(n)
		for _, raw := range r.Jobs.Job {
			j, err := saramin.ParseJob(raw)
			if err != nil {
				t.Fatalf("ParseJob: %v", err)
			}
			jobs = append(jobs, j)
		}
		if len(r.Jobs.Job) < 110 {
			return jobs, total
		}
	}
}

// shape collects every field path of the jobs with the JSON types seen there.
func shape(t *testing.T, body []byte) map[string]map[string]bool {
	t.Helper()
	var doc struct {
		Jobs struct {
			Job []any `json:"job"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	var visit func(path string, v any)
	visit = func(path string, v any) {
		kind := "null"
		switch x := v.(type) {
		case map[string]any:
			kind = "object"
			for k, c := range x {
				visit(strings.TrimPrefix(path+"."+k, "."), c)
			}
		case []any:
			kind = "array"
		case string:
			kind = "string"
		case float64:
			kind = "number"
		case bool:
			kind = "bool"
		}
		if out[path] == nil {
			out[path] = map[string]bool{}
		}
		out[path][kind] = true
	}
	for _, j := range doc.Jobs.Job {
		visit("", j)
	}
	return out
}

func TestShapeMatchesRealSample(t *testing.T) {
	t.Parallel()
	sample, err := os.ReadFile("../codes/testdata/saramin-sample-2021-09-27.json")
	if err != nil {
		t.Fatal(err)
	}
	s := forkSeven(t)
	a := call(t, s.URL, params("count", "110"))
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	want, got := shape(t, sample), shape(t, a.body)
	for p, kinds := range want {
		if !maps(kinds, got[p]) {
			t.Errorf("path %q: sample types %v, emulator %v", p, keys(kinds), keys(got[p]))
		}
	}
	for p := range got {
		if want[p] == nil {
			t.Errorf("path %q only in the emulator", p)
		}
	}

	// The envelope: count and start numbers, total a string.
	var env struct {
		Jobs map[string]any `json:"jobs"`
	}
	if err := json.Unmarshal(a.body, &env); err != nil {
		t.Fatal(err)
	}
	if _, ok := env.Jobs["count"].(float64); !ok {
		t.Errorf("count is %T", env.Jobs["count"])
	}
	if _, ok := env.Jobs["start"].(float64); !ok {
		t.Errorf("start is %T", env.Jobs["start"])
	}
	if _, ok := env.Jobs["total"].(string); !ok {
		t.Errorf("total is %T", env.Jobs["total"])
	}

	r := decodePage(t, a)
	if len(r.Jobs.Job) != 110 {
		t.Fatalf("got %d jobs", len(r.Jobs.Job))
	}
	longer, multiLoc := 0, 0
	for _, raw := range r.Jobs.Job {
		p, err := saramin.ParseJob(raw)
		if err != nil {
			t.Fatalf("ParseJob: %v", err)
		}
		if !p.Synthetic || !strings.HasPrefix(p.CompanyName, "(합성) ") {
			t.Errorf("posting %s is not marked synthetic: %q %q", p.ID, p.URL, p.CompanyName)
		}
		if u, _ := url.Parse(p.CompanyHref); u == nil || u.Host != saramin.SyntheticHost {
			t.Errorf("company href %q", p.CompanyHref)
		}
		if len(p.JobCodeNames) > len(p.JobCodes) {
			longer++
		}
		if len(p.LocationCodes) > 1 {
			multiLoc++
		}
		if len(p.LocationCodes) != len(p.LocationNames) || len(p.JobMidCodes) != len(p.JobMidNames) || len(p.JobTypeCodes) != len(p.JobTypeNames) {
			t.Errorf("posting %s: code and name lists differ in length", p.ID)
		}
		if p.Extra != nil {
			t.Errorf("posting %s has unknown fields %s", p.ID, p.Extra)
		}
	}
	if longer < 90 {
		t.Errorf("job-code name list longer than the code list in %d of 110 postings, want most", longer)
	}
	if multiLoc < 4 || multiLoc > 30 {
		t.Errorf("%d of 110 postings have several locations, want about 13", multiLoc)
	}
}

func maps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	a := newServer(t, Options{Seed: 11})
	b := newServer(t, Options{Seed: 11})
	c := newServer(t, Options{Seed: 12})
	for _, q := range []url.Values{
		params("count", "110"),
		params("count", "50", "start", "3", "sort", "ud", "fields", "posting-date,expiration-date,count"),
		params("keywords", "데이터", "count", "110", "sort", "da"),
	} {
		x, y, z := call(t, a.URL, q), call(t, b.URL, q), call(t, c.URL, q)
		if !bytes.Equal(x.body, y.body) {
			t.Errorf("%s: same seed and clock, different bytes", q.Encode())
		}
		if bytes.Equal(x.body, z.body) {
			t.Errorf("%s: different seeds, same bytes", q.Encode())
		}
	}

	// A fork answers as an emulator generated anew, also once its clock
	// has moved past the span generated at first (the copy extends
	// itself), and its original is left as it was.
	e, err := a.Fork(Options{Seed: 11, Now: testNow, DailyQuota: -1})
	if err != nil {
		t.Fatal(err)
	}
	f := Serve(e)
	t.Cleanup(f.Close)
	before := call(t, a.URL, params("count", "110"))
	later := testNow.AddDate(0, 0, 90)
	f.SetNow(later)
	b.SetNow(later)
	for _, q := range []url.Values{
		params("count", "110", "sort", "ud"),
		params("keywords", "데이터", "count", "110", "sort", "pd"),
	} {
		if x, y := call(t, f.URL, q), call(t, b.URL, q); !bytes.Equal(x.body, y.body) {
			t.Errorf("%s: a fork 90 days on answers differently from a new emulator", q.Encode())
		}
	}
	if after := call(t, a.URL, params("count", "110")); !bytes.Equal(before.body, after.body) || !a.Now().Equal(testNow) {
		t.Error("moving a fork's clock changed its original")
	}
	if _, err := a.Fork(Options{Seed: 12, Now: testNow}); err == nil || !strings.Contains(err.Error(), "seed 12") {
		t.Errorf("a fork for another seed: %v; want an error naming it", err)
	}
}

func TestPagingWalk(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 3, Scale: 0.1, DailyQuota: -1})
	for _, sortBy := range []string{"pd", "ua", "dd", "rc"} {
		t.Run(sortBy, func(t *testing.T) {
			jobs, total := walk(t, s.URL, params("sort", sortBy))
			want := s.IDs(s.Now())
			if total != len(want) || len(jobs) != len(want) {
				t.Fatalf("total %d, walked %d, IDs %d", total, len(jobs), len(want))
			}
			seen := map[string]bool{}
			for _, j := range jobs {
				if seen[j.ID] {
					t.Fatalf("id %s served twice", j.ID)
				}
				seen[j.ID] = true
			}
			for _, id := range want {
				if !seen[id] {
					t.Fatalf("id %s never served", id)
				}
			}
			if sortBy == "pd" {
				for i := range jobs {
					if jobs[i].ID != want[i] {
						t.Fatalf("pd order differs from IDs at %d", i)
					}
				}
			}
		})
	}
	t.Run("past the end", func(t *testing.T) {
		r := decodePage(t, call(t, s.URL, params("start", "100000", "count", "110")))
		if n, _ := r.Jobs.Count.Int(); n != 0 || len(r.Jobs.Job) != 0 {
			t.Errorf("count %d, %d jobs", n, len(r.Jobs.Job))
		}
	})
}

// dataTitle matches the titles of the data roles (not their look-alikes).
var dataTitle = regexp.MustCompile(`데이터 엔지니어|Data Engineer|빅데이터 플랫폼|데이터 파이프라인|DW/ETL|데이터 분석|Data Analyst|BI 데이터|Data Scientist|데이터 사이언티스트|ML Engineer|머신러닝|AI 연구원|MLOps|Machine Learning`)

func TestMarketProperties(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 5, Scale: 0.3, DailyQuota: -1})
	jobs, _ := walk(t, s.URL, params())
	start := testNow.AddDate(0, 0, -DefaultHistoryDays)

	t.Run("volume", func(t *testing.T) {
		perDay := float64(len(jobs)) / 0.3 / float64(DefaultHistoryDays)
		if perDay < 80 || perDay > 120 {
			t.Errorf("%.1f postings a day at scale 1, want 80-120", perDay)
		}
	})
	t.Run("empty night hours", func(t *testing.T) {
		for _, j := range jobs {
			for _, at := range []time.Time{j.PostedAt, j.ModifiedAt} {
				if h := at.In(kst.Zone).Hour(); h >= 1 && h < 7 {
					t.Fatalf("posting %s has an event at %s", j.ID, at.In(kst.Zone))
				}
			}
		}
		for d := range 30 {
			day := kst.Midnight(testNow).AddDate(0, 0, -d)
			if n := s.Changes(day.Add(time.Hour), day.Add(7*time.Hour)); n != 0 {
				t.Errorf("%s: %d changes at night", day.Format("2006-01-02"), n)
			}
			if got := s.NextHourWith(false, day.Add(10*time.Minute)); !got.Equal(day.Add(time.Hour)) {
				t.Errorf("NextHourWith(false, %s) = %s", day.Add(10*time.Minute), got)
			}
			got := s.NextHourWith(true, day.Add(90*time.Minute))
			if got.In(kst.Zone).Hour() < 7 || s.Changes(got, got.Add(time.Hour)) == 0 {
				t.Errorf("NextHourWith(true, %s) = %s", day.Add(90*time.Minute), got.In(kst.Zone))
			}
		}
	})
	t.Run("weekends low", func(t *testing.T) {
		var weekday, weekend, wdDays, weDays float64
		counts := map[string]int{}
		for _, j := range jobs {
			counts[j.PostedAt.In(kst.Zone).Format("2006-01-02")]++
		}
		for d := start; d.Before(kst.Midnight(testNow)); d = d.AddDate(0, 0, 1) {
			n := float64(counts[d.Format("2006-01-02")])
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				weekend += n
				weDays++
			} else {
				weekday += n
				wdDays++
			}
		}
		if weekend/weDays > 0.4*weekday/wdDays {
			t.Errorf("weekend days average %.1f, weekdays %.1f", weekend/weDays, weekday/wdDays)
		}
	})
	t.Run("growing data share", func(t *testing.T) {
		quarter := testNow.Sub(start) / 4
		var n, data [4]float64
		for _, j := range jobs {
			q := int(j.PostedAt.Sub(start) / quarter)
			if q < 0 || q > 3 {
				continue
			}
			n[q]++
			if dataTitle.MatchString(j.Title) {
				data[q]++
			}
		}
		first, last := data[0]/n[0], data[3]/n[3]
		if last < 1.5*first || first == 0 {
			t.Errorf("data share first quarter %.3f, last %.3f", first, last)
		}
	})
	t.Run("mixes", func(t *testing.T) {
		count := map[string]int{}
		for _, j := range jobs {
			if j.LocationCodes[0][:3] == "101" || j.LocationCodes[0][:3] == "102" {
				count["seoul-gyeonggi"]++
			}
			if len(j.JobTypeCodes) > 1 {
				count["multi-type"]++
			}
			if j.SalaryName == "" {
				count["salary-no-name"]++
			}
			if j.Active != nil && !*j.Active {
				count["closed"]++
			}
			if j.Active != nil && *j.Active {
				count["active"]++
				if !j.ModifiedAt.Equal(j.PostedAt) {
					count["active-modified"]++
				}
			}
			count["exp-"+strconv.FormatInt(*j.ExperienceCode, 10)]++
			count["close-"+j.CloseTypeCode]++
			if strings.Contains(j.Title, "데이터센터") || strings.Contains(j.Title, "데이터 입력") || strings.Contains(j.Title, "영업 데이터") {
				count["look-alike"]++
			}
		}
		total := float64(len(jobs))
		for _, tc := range []struct {
			name     string
			min, max float64
		}{
			{"seoul-gyeonggi", 0.6, 0.9}, {"multi-type", 0.1, 0.4}, {"salary-no-name", 0.02, 0.12},
			{"closed", 0.5, 1}, {"exp-0", 0.3, 0.6}, {"exp-1", 0.03, 0.2},
			{"exp-2", 0.2, 0.5}, {"exp-3", 0.03, 0.2}, {"close-1", 0.6, 0.95}, {"close-2", 0.05, 0.3},
			{"close-3", 0.01, 0.1}, {"close-4", 0.001, 0.05}, {"look-alike", 0.003, 0.03},
		} {
			if f := float64(count[tc.name]) / total; f < tc.min || f > tc.max {
				t.Errorf("%s: share %.3f, want %.3f-%.3f", tc.name, f, tc.min, tc.max)
			}
		}
		if f := float64(count["active-modified"]) / float64(count["active"]); f < 0.2 || f > 0.7 {
			t.Errorf("%.3f of open postings were modified, want 0.2-0.7", f)
		}
	})
	t.Run("codes resolve", func(t *testing.T) {
		tb := s.Tables()
		for _, j := range jobs[:2000] {
			for _, c := range j.LocationCodes {
				if _, ok := tb.Location(c); !ok {
					t.Fatalf("location %s", c)
				}
			}
			for _, c := range j.JobCodes {
				if jc, ok := tb.JobCode(c); !ok || jc.Name == "" {
					t.Fatalf("job code %s", c)
				}
			}
			if _, ok := tb.Industry(j.IndustryCode); !ok {
				t.Fatalf("industry %s", j.IndustryCode)
			}
		}
	})

	t.Run("windows", func(t *testing.T) {
		from := testNow.Add(-75 * time.Hour)
		to := testNow.Add(-20 * time.Hour)
		fromDay, toDay := kst.Midnight(testNow).AddDate(0, 0, -9), kst.Midnight(testNow).AddDate(0, 0, -2)
		for _, tc := range []struct {
			name string
			p    url.Values
			keep func(saramin.Posting) bool
		}{
			{"updated unix", params("updated_min", unix(from), "updated_max", unix(to)),
				func(p saramin.Posting) bool { return !p.ModifiedAt.Before(from) && p.ModifiedAt.Before(to) }},
			{"updated datetime", params("updated_min", from.In(kst.Zone).Format(time.DateTime), "updated_max", to.In(kst.Zone).Format(time.DateTime)),
				func(p saramin.Posting) bool { return !p.ModifiedAt.Before(from) && p.ModifiedAt.Before(to) }},
			{"published date", params("published_min", fromDay.Format(time.DateOnly), "published_max", toDay.Format(time.DateOnly)),
				func(p saramin.Posting) bool { return !p.PostedAt.Before(fromDay) && p.PostedAt.Before(toDay) }},
			{"published unix", params("published_min", unix(from), "published_max", unix(to)),
				func(p saramin.Posting) bool { return !p.PostedAt.Before(from) && p.PostedAt.Before(to) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total := walk(t, s.URL, tc.p)
				var want []string
				for _, j := range jobs {
					if tc.keep(j) {
						want = append(want, j.ID)
					}
				}
				ids := make([]string, len(got))
				for i, j := range got {
					ids[i] = j.ID
				}
				slices.Sort(ids)
				slices.Sort(want)
				if total != len(want) || !slices.Equal(ids, want) {
					t.Errorf("got %d (total %d), want %d", len(ids), total, len(want))
				}
				if len(want) == 0 {
					t.Error("empty window")
				}
			})
		}
	})

	t.Run("filters", func(t *testing.T) {
		tb := s.Tables()
		for _, tc := range []struct {
			name string
			p    url.Values
			ok   func(saramin.Posting) bool
		}{
			{"keywords", params("keywords", "데이터 엔지니어"), func(p saramin.Posting) bool {
				text := strings.ToLower(p.Title + " " + strings.Join(p.Keywords, " ") + " " + strings.Join(p.JobCodeNames, " "))
				return strings.Contains(text, "데이터") && strings.Contains(text, "엔지니어")
			}},
			{"loc_cd province", params("loc_cd", "106000"), func(p saramin.Posting) bool {
				return slices.ContainsFunc(p.LocationCodes, func(c string) bool { return c[:3] == "106" })
			}},
			{"loc_cd district", params("loc_cd", "101010,101150"), func(p saramin.Posting) bool {
				return slices.Contains(p.LocationCodes, "101010") || slices.Contains(p.LocationCodes, "101150")
			}},
			{"loc_mcd", params("loc_mcd", "108000"), func(p saramin.Posting) bool {
				return slices.ContainsFunc(p.LocationCodes, func(c string) bool { return c[:3] == "108" })
			}},
			{"ind_cd", params("ind_cd", "301,304"), func(p saramin.Posting) bool { return p.IndustryCode == "301" || p.IndustryCode == "304" }},
			{"ind_cd category", params("ind_cd", "3"), func(p saramin.Posting) bool {
				c, _ := tb.CategoryOf(p.IndustryCode)
				return c.Code == "3"
			}},
			{"job_mid_cd", params("job_mid_cd", "2,15"), func(p saramin.Posting) bool {
				return slices.Contains(p.JobMidCodes, "2") || slices.Contains(p.JobMidCodes, "15")
			}},
			{"job_cd", params("job_cd", "83"), func(p saramin.Posting) bool { return slices.Contains(p.JobCodes, "83") }},
			{"job_type", params("job_type", "10"), func(p saramin.Posting) bool { return slices.Contains(p.JobTypeCodes, "10") }},
			{"edu_lv", params("edu_lv", "8,9"), func(p saramin.Posting) bool { return p.EducationCode == "8" || p.EducationCode == "9" }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total := walk(t, s.URL, tc.p)
				want := 0
				for _, j := range jobs {
					if tc.ok(j) {
						want++
					}
				}
				for _, j := range got {
					if !tc.ok(j) {
						t.Fatalf("posting %s does not match", j.ID)
					}
				}
				if total != want || len(got) != want || want == 0 {
					t.Errorf("got %d (total %d), want %d", len(got), total, want)
				}
			})
		}
	})
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestFields(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 1, Scale: 0.1})
	r := decodePage(t, call(t, s.URL, params("count", "5", "fields", "posting-date,expiration-date,count")))
	for _, raw := range r.Jobs.Job {
		var j saramin.Job
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatal(err)
		}
		if !j.PostingDate.Valid || !j.ExpirationDate.Valid || !j.ReadCnt.Valid || !j.ApplyCnt.Valid {
			t.Errorf("missing extra fields in %s", raw)
		}
		posted, _ := j.PostingTimestamp.Int()
		if want := time.Unix(posted, 0).In(kst.Zone).Format("2006-01-02T15:04:05-0700"); j.PostingDate.S != want {
			t.Errorf("posting-date %q, want %q", j.PostingDate.S, want)
		}
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		if _, ok := m["read-cnt"].(float64); !ok {
			t.Errorf("read-cnt is %T", m["read-cnt"])
		}
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 9, Scale: 0.2})
	before := s.IDs(s.Now())
	day := 24 * time.Hour
	published := 0
	for _, id := range s.IDs(s.Now().Add(day)) {
		if !slices.Contains(before, id) {
			published++
		}
	}
	changes := s.Changes(s.Now(), s.Now().Add(day))
	s.Advance(day)
	after := s.IDs(s.Now())
	if len(after) <= len(before) || len(after)-len(before) != published {
		t.Fatalf("advance a day: %d -> %d ids, %d new", len(before), len(after), published)
	}
	if changes <= published {
		t.Errorf("%d changes in a day, only %d new postings: nothing modified or closed", changes, published)
	}
	newest, _ := strconv.Atoi(after[0])
	oldNewest, _ := strconv.Atoi(before[0])
	if newest <= oldNewest {
		t.Errorf("newest id %d not above %d", newest, oldNewest)
	}
	// Far past the generated span: the market grows with the clock.
	s.SetNow(testNow.AddDate(0, 0, 200))
	if n := len(s.IDs(s.Now())); n <= len(after) {
		t.Errorf("200 days on: %d ids", n)
	}
	r := decodePage(t, call(t, s.URL, params("count", "1")))
	p, err := saramin.ParseJob(r.Jobs.Job[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.PostedAt.After(s.Now()) || s.Now().Sub(p.PostedAt) > 3*day {
		t.Errorf("newest posting at %s, clock %s", p.PostedAt, s.Now())
	}
}

func errorOf(t *testing.T, a answer) (int, string) {
	t.Helper()
	var e struct {
		Code    *int   `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(a.body, &e); err != nil || e.Code == nil {
		t.Fatalf("error body %q: %v", a.body, err)
	}
	return *e.Code, e.Message
}

func TestHourPairAndHistoryStart(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 10, Scale: 0.2})
	if want := time.Date(2025, 10, 16, 0, 0, 0, 0, kst.Zone); !s.HistoryStart().Equal(want) {
		t.Errorf("HistoryStart = %s, want %s", s.HistoryStart(), want)
	}
	h, err := s.HourPair(testNow.Add(-48 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if h.Before(testNow.Add(-48*time.Hour)) || s.Changes(h, h.Add(time.Hour)) == 0 || s.Changes(h.Add(time.Hour), h.Add(2*time.Hour)) != 0 {
		t.Errorf("HourPair = %s", h.In(kst.Zone))
	}
}

func TestAddr(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := newServer(t, Options{Seed: 1, Scale: 0.05, Addr: addr})
	if s.URL != "http://"+addr {
		t.Errorf("URL %s, want http://%s", s.URL, addr)
	}
	if a := call(t, s.URL, params("count", "1")); a.status != 200 {
		t.Errorf("status %d", a.status)
	}
}

func TestQuota(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 2, Scale: 0.05})
	for i := range DefaultDailyQuota {
		if a := call(t, s.URL, params("count", "1")); a.status != http.StatusOK {
			t.Fatalf("call %d: status %d", i+1, a.status)
		}
	}
	bad := call(t, s.URL, url.Values{"access-key": {"nope"}})
	if bad.status != http.StatusUnauthorized {
		t.Errorf("bad key: %d", bad.status)
	}
	if n := s.CallsToday(DefaultKey); n != DefaultDailyQuota {
		t.Errorf("CallsToday = %d", n)
	}
	a := call(t, s.URL, params("count", "1"))
	if code, _ := errorOf(t, a); a.status != http.StatusTooManyRequests || code != CodeQuotaExceeded {
		t.Fatalf("call 501: status %d code %d", a.status, code)
	}
	// 23:59:59 KST is still the same day; 00:00 KST resets.
	s.SetNow(time.Date(2026, 11, 20, 23, 59, 59, 0, kst.Zone))
	if a := call(t, s.URL, params("count", "1")); a.status != http.StatusTooManyRequests {
		t.Errorf("same KST day: status %d", a.status)
	}
	s.SetNow(time.Date(2026, 11, 21, 0, 0, 0, 0, kst.Zone))
	if a := call(t, s.URL, params("count", "1")); a.status != http.StatusOK {
		t.Errorf("next KST day: status %d", a.status)
	}
	if n := s.CallsToday(DefaultKey); n != 1 {
		t.Errorf("CallsToday after reset = %d", n)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 4, Scale: 0.05, Keys: []string{"k1", "k2"}})
	for _, tc := range []struct {
		name   string
		p      url.Values
		status int
		code   int
	}{
		{"missing key", url.Values{"count": {"1"}}, 401, CodeInvalidKey},
		{"unknown key", url.Values{"access-key": {"test-key"}}, 401, CodeInvalidKey},
		{"count over 110", url.Values{"access-key": {"k1"}, "count": {"111"}}, 400, CodeBadParameter},
		{"count zero", url.Values{"access-key": {"k1"}, "count": {"0"}}, 400, CodeBadParameter},
		{"start not a number", url.Values{"access-key": {"k1"}, "start": {"abc"}}, 400, CodeBadParameter},
		{"negative start", url.Values{"access-key": {"k1"}, "start": {"-1"}}, 400, CodeBadParameter},
		{"bad date", url.Values{"access-key": {"k1"}, "published_min": {"2026-13-45"}}, 400, CodeBadParameter},
		{"bad date text", url.Values{"access-key": {"k1"}, "updated_max": {"yesterday"}}, 400, CodeBadParameter},
		{"unknown sort", url.Values{"access-key": {"k1"}, "sort": {"zz"}}, 400, CodeBadParameter},
		{"unknown field", url.Values{"access-key": {"k2"}, "fields": {"salary-detail"}}, 400, CodeBadParameter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, s.URL, tc.p)
			code, msg := errorOf(t, a)
			if a.status != tc.status || code != tc.code || msg == "" {
				t.Errorf("status %d code %d %q; want %d code %d", a.status, code, msg, tc.status, tc.code)
			}
		})
	}
	if n := s.CallsToday("test-key"); n != 0 {
		t.Errorf("bad key counted: %d", n)
	}
	if n := s.CallsToday("k1"); n != 7 {
		t.Errorf("k1 calls = %d, want 7 (bad parameters count)", n)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 6, Scale: 0.05, DailyQuota: -1})
	page := params("count", "20")
	okJobs := func(t *testing.T, a answer) []json.RawMessage {
		t.Helper()
		r := decodePage(t, a)
		return r.Jobs.Job
	}
	// base is the page as served without a fault: the clock stands still,
	// so every drifted answer below rewrites this one.
	base := call(t, s.URL, page)
	baseDoc := decodeDoc(t, base.body)
	baseJobs := jobsOf(t, baseDoc)
	// eachJob runs check on every drifted posting beside the same posting
	// as served without the fault.
	eachJob := func(t *testing.T, a answer, check func(t *testing.T, got, want map[string]any)) {
		t.Helper()
		got := jobsOf(t, decodeDoc(t, a.body))
		if len(got) != len(baseJobs) || len(got) == 0 {
			t.Fatalf("%d postings, want %d", len(got), len(baseJobs))
		}
		for i := range got {
			check(t, got[i], baseJobs[i])
		}
	}
	// sameInstants parses a drifted posting and checks its posting and
	// modification times are the undrifted posting's, and notes the drift.
	sameInstants := func(t *testing.T, got, want map[string]any, note string) {
		t.Helper()
		g, err := saramin.ParseJob(encodeJob(t, got))
		if err != nil {
			t.Fatalf("tolerant parse: %v", err)
		}
		w, err := saramin.ParseJob(encodeJob(t, want))
		if err != nil {
			t.Fatal(err)
		}
		if !g.PostedAt.Equal(w.PostedAt) || !g.ModifiedAt.Equal(w.ModifiedAt) || !equalTimes(g.OpeningAt, w.OpeningAt) || !equalTimes(g.ExpiresAt, w.ExpiresAt) {
			t.Errorf("posting %s read as posted %s modified %s, want %s %s", g.ID, g.PostedAt, g.ModifiedAt, w.PostedAt, w.ModifiedAt)
		}
		if note != "" && !slices.ContainsFunc(g.Drift, func(d string) bool { return strings.Contains(d, note) }) {
			t.Errorf("posting %s: drift %q, want a note %q", g.ID, g.Drift, note)
		}
	}
	// retimed checks that the named timestamps are rewritten by form from
	// the undrifted unix seconds and the others are left alone.
	retimed := func(names []string, form func(sec int64) any) func(t *testing.T, got, want map[string]any) {
		return func(t *testing.T, got, want map[string]any) {
			t.Helper()
			for _, name := range []string{"posting-timestamp", "modification-timestamp", "opening-timestamp", "expiration-timestamp"} {
				sec, err := strconv.ParseInt(want[name].(string), 10, 64)
				if err != nil {
					t.Fatalf("%s %v: %v", name, want[name], err)
				}
				w := want[name]
				if slices.Contains(names, name) {
					w = form(sec)
				}
				if got[name] != w {
					t.Errorf("posting %v: %s %#v, want %#v", got["id"], name, got[name], w)
				}
			}
		}
	}
	allTimes := []string{"posting-timestamp", "modification-timestamp", "opening-timestamp", "expiration-timestamp"}
	iso := func(sec int64) any { return time.Unix(sec, 0).In(kst.Zone).Format("2006-01-02T15:04:05+09:00") }
	covered := map[string]bool{}
	for _, tc := range []struct {
		name  string
		fault Fault
		check func(t *testing.T, a answer)
	}{
		{"server error", Fault{Kind: FaultServerError, Status: 503}, func(t *testing.T, a answer) {
			if code, _ := errorOf(t, a); a.status != 503 || code != CodeInternal {
				t.Errorf("status %d code %d", a.status, code)
			}
		}},
		{"rate limit", Fault{Kind: FaultRateLimit, RetryAfter: 3 * time.Second}, func(t *testing.T, a answer) {
			if code, _ := errorOf(t, a); a.status != 429 || code != CodeRateLimited || a.header.Get("Retry-After") != "3" {
				t.Errorf("status %d code %d Retry-After %q", a.status, code, a.header.Get("Retry-After"))
			}
		}},
		{"drift rename", Fault{Kind: FaultDrift, Drift: DriftRenamePostingTimestamp}, func(t *testing.T, a answer) {
			for _, raw := range okJobs(t, a) {
				if _, err := saramin.ParseJob(raw); !errors.Is(err, saramin.ErrRecord) {
					t.Fatalf("renamed posting-timestamp parsed: %v", err)
				}
			}
		}},
		{"drift retype", Fault{Kind: FaultDrift, Drift: DriftRetypeExperienceCode}, func(t *testing.T, a answer) {
			for _, raw := range okJobs(t, a) {
				var m struct {
					Position struct {
						Exp struct {
							Code any `json:"code"`
						} `json:"experience-level"`
					} `json:"position"`
				}
				_ = json.Unmarshal(raw, &m)
				if _, ok := m.Position.Exp.Code.(string); !ok {
					t.Fatalf("experience code is %T", m.Position.Exp.Code)
				}
				if p, err := saramin.ParseJob(raw); err != nil || p.ExperienceCode == nil {
					t.Fatalf("tolerant parse failed: %v", err)
				}
			}
		}},
		{"drift unknown field", Fault{Kind: FaultDrift, Drift: DriftAddUnknownField}, func(t *testing.T, a answer) {
			for _, raw := range okJobs(t, a) {
				p, err := saramin.ParseJob(raw)
				if err != nil || !bytes.Contains(p.Extra, []byte("recruit-extra")) || !bytes.Contains(p.Extra, []byte("position.work-style")) {
					t.Fatalf("extra %s, err %v", p.Extra, err)
				}
			}
		}},
		{"drift drop title", Fault{Kind: FaultDrift, Drift: DriftDropTitle}, func(t *testing.T, a answer) {
			jobs := okJobs(t, a)
			if _, err := saramin.ParseJob(jobs[0]); !errors.Is(err, saramin.ErrRecord) {
				t.Errorf("posting without title parsed: %v", err)
			}
			if _, err := saramin.ParseJob(jobs[1]); err != nil {
				t.Errorf("second posting: %v", err)
			}
		}},
		{"drift empty jobs", Fault{Kind: FaultDrift, Drift: DriftEmptyJobs}, func(t *testing.T, a answer) {
			r := decodePage(t, a)
			if n, _ := r.Jobs.Total.Int(); len(r.Jobs.Job) != 0 || n == 0 {
				t.Errorf("%d postings, total %d; want none served and the total kept", len(r.Jobs.Job), n)
			}
		}},
		{"drift zero total", Fault{Kind: FaultDrift, Drift: DriftZeroTotal}, func(t *testing.T, a answer) {
			r := decodePage(t, a)
			if n, _ := r.Jobs.Total.Int(); len(r.Jobs.Job) == 0 || n != 0 {
				t.Errorf("%d postings, total %d; want postings served and a total of 0", len(r.Jobs.Job), n)
			}
		}},
		{"drift drop last job", Fault{Kind: FaultDrift, Drift: DriftDropLastJob}, func(t *testing.T, a answer) {
			r := decodePage(t, a)
			if c, _ := r.Jobs.Count.Int(); len(r.Jobs.Job) != int(c)-1 {
				t.Errorf("%d postings served, count %d; want one fewer than counted", len(r.Jobs.Job), c)
			}
		}},
		{"drift drop modification timestamp", Fault{Kind: FaultDrift, Drift: DriftDropModificationTimestamp}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				if _, ok := got["modification-timestamp"]; ok {
					t.Errorf("posting %v keeps modification-timestamp", got["id"])
				}
				if _, err := saramin.ParseJob(encodeJob(t, got)); !errors.Is(err, saramin.ErrRecord) {
					t.Errorf("posting without modification-timestamp parsed: %v", err)
				}
			})
		}},
		{"drift unreadable modification timestamp", Fault{Kind: FaultDrift, Drift: DriftUnreadableModificationTimestamp}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				if got["modification-timestamp"] != "unknown" {
					t.Errorf("posting %v: modification-timestamp %#v", got["id"], got["modification-timestamp"])
				}
				if _, err := saramin.ParseJob(encodeJob(t, got)); !errors.Is(err, saramin.ErrRecord) {
					t.Errorf("unreadable modification-timestamp parsed: %v", err)
				}
			})
		}},
		{"drift iso modification timestamp", Fault{Kind: FaultDrift, Drift: DriftISOModificationTimestamp}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				retimed([]string{"modification-timestamp"}, iso)(t, got, want)
				sameInstants(t, got, want, "modification-timestamp as ISO-8601")
			})
		}},
		{"drift local timestamps", Fault{Kind: FaultDrift, Drift: DriftLocalTimestamps}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				retimed(allTimes, func(sec int64) any { return time.Unix(sec, 0).In(kst.Zone).Format("2006-01-02 15:04:05") })(t, got, want)
				sameInstants(t, got, want, "without a zone, read in KST")
			})
		}},
		{"drift iso expiration timestamp", Fault{Kind: FaultDrift, Drift: DriftISOExpirationTimestamp}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				retimed([]string{"expiration-timestamp"}, iso)(t, got, want)
				sameInstants(t, got, want, "expiration-timestamp as ISO-8601")
			})
		}},
		{"drift millis timestamps", Fault{Kind: FaultDrift, Drift: DriftMillisTimestamps}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				retimed(allTimes, func(sec int64) any { return strconv.FormatInt(sec*1000, 10) })(t, got, want)
				sameInstants(t, got, want, "in milliseconds")
			})
		}},
		{"drift numeric timestamps", Fault{Kind: FaultDrift, Drift: DriftNumericTimestamps}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				retimed(allTimes, func(sec int64) any { return json.Number(strconv.FormatInt(sec, 10)) })(t, got, want)
				sameInstants(t, got, want, "")
			})
		}},
		{"drift salary array", Fault{Kind: FaultDrift, Drift: DriftSalaryArray}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				if arr, ok := got["salary"].([]any); !ok || len(arr) != 1 || !reflect.DeepEqual(arr[0], want["salary"]) {
					t.Errorf("posting %v: salary %#v, want [%#v]", got["id"], got["salary"], want["salary"])
				}
				if p, err := saramin.ParseJob(encodeJob(t, got)); err != nil || p.SalaryCode != "" || !slices.Contains(p.Drift, "salary changed shape, left null") {
					t.Errorf("tolerant parse: salary %q, drift %q, %v", p.SalaryCode, p.Drift, err)
				}
			})
		}},
		{"drift keyword array", Fault{Kind: FaultDrift, Drift: DriftKeywordArray}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				var words []any
				for _, w := range strings.Split(want["keyword"].(string), ",") {
					words = append(words, w)
				}
				if !reflect.DeepEqual(got["keyword"], words) {
					t.Errorf("posting %v: keyword %#v, want %#v", got["id"], got["keyword"], words)
				}
				if p, err := saramin.ParseJob(encodeJob(t, got)); err != nil || !slices.Contains(p.Drift, "keyword changed shape, left null") {
					t.Errorf("tolerant parse: drift %q, %v", p.Drift, err)
				}
			})
		}},
		{"drift location object array", Fault{Kind: FaultDrift, Drift: DriftLocationObjectArray}, func(t *testing.T, a answer) {
			eachJob(t, a, func(t *testing.T, got, want map[string]any) {
				loc := want["position"].(map[string]any)["location"].(map[string]any)
				codes, names := strings.Split(loc["code"].(string), ","), strings.Split(loc["name"].(string), ",")
				var objs []any
				for i := range codes {
					objs = append(objs, map[string]any{"code": codes[i], "name": names[i]})
				}
				if g := got["position"].(map[string]any)["location"]; !reflect.DeepEqual(g, objs) {
					t.Errorf("posting %v: location %#v, want %#v", got["id"], g, objs)
				}
				if p, err := saramin.ParseJob(encodeJob(t, got)); err != nil || !slices.Contains(p.Drift, "position.location changed shape, left null") {
					t.Errorf("tolerant parse: drift %q, %v", p.Drift, err)
				}
			})
		}},
		{"drift no jobs", Fault{Kind: FaultDrift, Drift: DriftNoJobs}, func(t *testing.T, a answer) {
			doc := decodeDoc(t, a.body)
			if _, ok := doc["jobs"]; ok || len(doc) == 0 {
				t.Errorf("answer %s: want a JSON object without jobs", a.body)
			}
		}},
		{"drift null jobs", Fault{Kind: FaultDrift, Drift: DriftNullJobs}, func(t *testing.T, a answer) {
			jobs := decodeDoc(t, a.body)["jobs"].(map[string]any)
			want := baseDoc["jobs"].(map[string]any)
			if v, ok := jobs["job"]; !ok || v != nil || jobs["total"] != want["total"] || jobs["count"] != want["count"] {
				t.Errorf("jobs %v; want job null beside count %v and total %v", jobs, want["count"], want["total"])
			}
		}},
		{"drift total inflated", Fault{Kind: FaultDrift, Drift: DriftTotalInflated}, func(t *testing.T, a answer) {
			jobs := decodeDoc(t, a.body)["jobs"].(map[string]any)
			n, _ := strconv.Atoi(baseDoc["jobs"].(map[string]any)["total"].(string))
			if want := strconv.Itoa(n + InflatedBy); jobs["total"] != want {
				t.Errorf("total %#v, want %q", jobs["total"], want)
			}
			if got := jobsOf(t, decodeDoc(t, a.body)); !reflect.DeepEqual(got, baseJobs) {
				t.Errorf("postings changed beside the total")
			}
		}},
		{"drift bom", Fault{Kind: FaultDrift, Drift: DriftBOM}, func(t *testing.T, a answer) {
			rest, ok := bytes.CutPrefix(a.body, []byte{0xEF, 0xBB, 0xBF})
			if !ok || !bytes.Equal(rest, base.body) {
				t.Errorf("body starts %q; want a byte-order mark before the answer", a.body[:min(len(a.body), 8)])
			}
		}},
		{"broken record", Fault{Kind: FaultBrokenRecord}, func(t *testing.T, a answer) {
			jobs := okJobs(t, a)
			if !bytes.Contains(jobs[0], []byte(`"id":null`)) {
				t.Errorf("first posting %s", jobs[0])
			}
			if _, err := saramin.ParseJob(jobs[0]); !errors.Is(err, saramin.ErrRecord) {
				t.Errorf("null id parsed: %v", err)
			}
		}},
		{"broken record empty", Fault{Kind: FaultBrokenRecord, Drift: "empty"}, func(t *testing.T, a answer) {
			if _, err := saramin.ParseJob(okJobs(t, a)[0]); !errors.Is(err, saramin.ErrRecord) {
				t.Errorf("empty id parsed: %v", err)
			}
		}},
	} {
		if tc.fault.Kind == FaultDrift {
			covered[tc.fault.Drift] = true
		}
		t.Run(tc.name, func(t *testing.T) {
			tc.fault.Count = 2
			if err := s.InjectFault(tc.fault); err != nil {
				t.Fatal(err)
			}
			tc.check(t, call(t, s.URL, page))
			tc.check(t, call(t, s.URL, page))
			if a := call(t, s.URL, page); a.status != 200 {
				t.Fatalf("third call: %d", a.status)
			}
			for _, raw := range okJobs(t, call(t, s.URL, page)) {
				if _, err := saramin.ParseJob(raw); err != nil {
					t.Fatalf("after the fault: %v", err)
				}
			}
		})
	}

	t.Run("every drift kind", func(t *testing.T) {
		kinds := DriftKinds()
		if len(kinds) != len(covered) {
			t.Errorf("%d drift kinds, %d tested", len(kinds), len(covered))
		}
		for _, k := range kinds {
			if !covered[k] {
				t.Errorf("drift %q has no case above", k)
			}
		}
	})
	t.Run("drifts stack", func(t *testing.T) {
		// A byte-order mark stays in front of a body drifted again, and
		// timestamps already in milliseconds are left to themselves.
		for _, d := range []string{DriftBOM, DriftMillisTimestamps, DriftLocalTimestamps, DriftNoJobs, DriftNullJobs, DriftTotalInflated} {
			if err := s.InjectFault(Fault{Kind: FaultDrift, Drift: d}); err != nil {
				t.Fatal(err)
			}
		}
		a := call(t, s.URL, page)
		if a.status != http.StatusOK || !bytes.Equal(a.body, []byte("\xef\xbb\xbf{\"result\":\"ok\"}\n")) {
			t.Errorf("status %d body %q", a.status, a.body)
		}
		for _, d := range []string{DriftMillisTimestamps, DriftLocalTimestamps} {
			if err := s.InjectFault(Fault{Kind: FaultDrift, Drift: d}); err != nil {
				t.Fatal(err)
			}
		}
		eachJob(t, call(t, s.URL, page), retimed(allTimes, func(sec int64) any { return strconv.FormatInt(sec*1000, 10) }))
	})

	t.Run("slow", func(t *testing.T) {
		if err := s.InjectFault(Fault{Kind: FaultSlow, Delay: 300 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		// A slow answer still comes, to a client that waits; a client
		// that waits less than the delay gives up.
		if a := call(t, s.URL, page); a.status != 200 {
			t.Errorf("slow answer: status %d", a.status)
		}
		client := http.Client{Timeout: 100 * time.Millisecond}
		if err := s.InjectFault(Fault{Kind: FaultSlow, Delay: time.Second}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.Get(s.URL + "/job-search?" + page.Encode()); err == nil {
			t.Error("client timeout not hit")
		}
	})
	t.Run("truncate", func(t *testing.T) {
		if err := s.InjectFault(Fault{Kind: FaultTruncate}); err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(s.URL + "/job-search?" + page.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && json.Valid(b) {
			t.Errorf("complete body: %d bytes", len(b))
		}
	})
	t.Run("until cleared", func(t *testing.T) {
		if err := s.InjectFault(Fault{Kind: FaultServerError, Count: -1}); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if a := call(t, s.URL, page); a.status != 500 {
				t.Fatalf("status %d", a.status)
			}
		}
		s.ClearFaults()
		if a := call(t, s.URL, page); a.status != 200 {
			t.Fatalf("after ClearFaults: %d", a.status)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		for _, f := range []Fault{{Kind: "nope"}, {Kind: FaultDrift, Drift: "x"}, {Kind: FaultSlow}, {Kind: FaultServerError, Status: 404}} {
			if err := s.InjectFault(f); err == nil {
				t.Errorf("%+v accepted", f)
			}
		}
	})
}

// decodeDoc decodes an answer as a generic document, numbers as
// json.Number, so that a drift's rewrite can be compared value for value.
func decodeDoc(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode %q: %v", body[:min(len(body), 80)], err)
	}
	return doc
}

// jobsOf returns the postings of a decoded answer.
func jobsOf(t *testing.T, doc map[string]any) []map[string]any {
	t.Helper()
	jobs, ok := doc["jobs"].(map[string]any)
	if !ok {
		t.Fatalf("no jobs object in %v", doc)
	}
	list, _ := jobs["job"].([]any)
	out := make([]map[string]any, len(list))
	for i, j := range list {
		if out[i], ok = j.(map[string]any); !ok {
			t.Fatalf("posting %d is %T", i, j)
		}
	}
	return out
}

func encodeJob(t *testing.T, job map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func equalTimes(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func TestAdminEndpoints(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 8, Scale: 0.05})
	do := func(method, path, body string) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	st, b := do("GET", "/_emulator/clock", "")
	var c ClockBody
	if err := json.Unmarshal(b, &c); st != 200 || err != nil || !c.Now.Equal(testNow) {
		t.Fatalf("GET clock: %d %s", st, b)
	}
	next := testNow.Add(36 * time.Hour)
	if st, b = do("POST", "/_emulator/clock", fmt.Sprintf(`{"now":%q}`, next.Format(time.RFC3339))); st != 200 || !s.Now().Equal(next) {
		t.Fatalf("POST clock: %d %s, now %s", st, b, s.Now())
	}
	if st, _ = do("POST", "/_emulator/clock", `{"now":"soon"}`); st != 400 {
		t.Errorf("bad clock: %d", st)
	}
	if st, b = do("POST", "/_emulator/faults", `{"kind":"slow","delay":"10ms","count":2}`); st != 200 {
		t.Fatalf("POST faults: %d %s", st, b)
	}
	if st, _ = do("POST", "/_emulator/faults", `{"kind":"bogus"}`); st != 400 {
		t.Errorf("bogus fault: %d", st)
	}
	call(t, s.URL, params("count", "1"))
	st, b = do("GET", "/_emulator/stats", "")
	var stats Stats
	if err := json.Unmarshal(b, &stats); st != 200 || err != nil {
		t.Fatalf("stats: %d %s", st, b)
	}
	if stats.CallsToday[DefaultKey] != 1 || stats.Visible != len(s.IDs(next)) || !stats.Now.Equal(next) || len(stats.Faults) != 1 || stats.Faults[0].Count != 1 {
		t.Errorf("stats %+v", stats)
	}
	if st, _ = do("DELETE", "/_emulator/faults", ""); st != 204 || len(s.Faults()) != 0 {
		t.Errorf("DELETE faults: %d, %d left", st, len(s.Faults()))
	}
}

func TestTruth(t *testing.T) {
	t.Parallel()
	s := newServer(t, Options{Seed: 11, Scale: 0.05, DailyQuota: -1})
	truth := s.Truth()

	// The truth is what /job-search serves, posting for posting.
	jobs, total := walk(t, s.URL, params())
	if len(truth) != len(jobs) || total != len(jobs) || len(truth) == 0 {
		t.Fatalf("truth %d postings, the API %d (total %d)", len(truth), len(jobs), total)
	}
	served := map[string]saramin.Posting{}
	for _, j := range jobs {
		served[j.ID] = j
	}
	ids := s.IDs(s.Now())
	slices.Sort(ids)
	for i, tp := range truth {
		if tp.ID != ids[i] {
			t.Fatalf("truth %d is %s, IDs sorted %s", i, tp.ID, ids[i])
		}
		j, ok := served[tp.ID]
		if !ok {
			t.Fatalf("posting %s in the truth, not served", tp.ID)
		}
		if !j.ModifiedAt.Equal(tp.ModifiedAt) || tp.ModifiedAt.Location() != time.UTC || j.Active == nil || *j.Active != tp.Active {
			t.Errorf("posting %s: truth modified %s active %v; served %s %v", tp.ID, tp.ModifiedAt, tp.Active, j.ModifiedAt, j.Active)
		}
		if (tp.Version == 0) != tp.ModifiedAt.Equal(j.PostedAt) {
			t.Errorf("posting %s: version %d, modified %s, posted %s", tp.ID, tp.Version, tp.ModifiedAt, j.PostedAt)
		}
	}

	// The admin endpoint serves the same.
	resp, err := http.Get(s.URL + "/_emulator/truth")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body TruthBody
	if err := json.NewDecoder(resp.Body).Decode(&body); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("GET truth: %d %v", resp.StatusCode, err)
	}
	if !body.Now.Equal(s.Now()) || !reflect.DeepEqual(body.Postings, truth) {
		t.Errorf("GET truth: now %s, %d postings; want %s and Truth()'s %d", body.Now, len(body.Postings), s.Now(), len(truth))
	}

	// Three days later the changed postings are newer, the others as they
	// were, and the postings changed since are the market's changes.
	from, later := s.Now(), s.Now().Add(72*time.Hour)
	s.SetNow(later)
	after := map[string]TruthPosting{}
	changed := 0
	for _, tp := range s.Truth() {
		after[tp.ID] = tp
		if !tp.ModifiedAt.Before(from) {
			changed++
		}
	}
	if want := s.Changes(from, later.Add(time.Second)); changed != want || want == 0 {
		t.Errorf("%d postings modified since %s, Changes says %d", changed, from, want)
	}
	newer := 0
	for _, old := range truth {
		now, ok := after[old.ID]
		switch {
		case !ok:
			t.Fatalf("posting %s gone", old.ID)
		case now.Version < old.Version || now.ModifiedAt.Before(old.ModifiedAt) || now.Active && !old.Active:
			t.Errorf("posting %s went back: %+v, then %+v", old.ID, old, now)
		case now.Version > old.Version:
			newer++
			if !now.ModifiedAt.After(old.ModifiedAt) {
				t.Errorf("posting %s: version %d to %d, modified %s to %s", old.ID, old.Version, now.Version, old.ModifiedAt, now.ModifiedAt)
			}
		case now != old:
			t.Errorf("posting %s changed without a new version: %+v, then %+v", old.ID, old, now)
		}
	}
	if newer == 0 {
		t.Error("no posting has a newer version three days later")
	}

	// Across an hour without changes the truth stands still.
	h := s.NextHourWith(false, later)
	if h.IsZero() {
		t.Fatal("no quiet hour")
	}
	s.SetNow(h.Add(-time.Second))
	before := s.Truth()
	s.SetNow(h.Add(time.Hour - time.Second))
	if quiet := s.Truth(); !reflect.DeepEqual(quiet, before) {
		t.Errorf("the truth changed across the quiet hour %s", h)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		opts Options
		ok   bool
	}{
		{Options{Now: testNow}, true},
		{Options{Now: testNow, HistoryDays: 364}, false},
		{Options{Now: testNow, Scale: -1}, false},
		{Options{Now: testNow, Scale: 31}, false},
	} {
		e, err := New(tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("New(%+v): %v", tc.opts, err)
		}
		if err == nil {
			o := e.Options()
			if o.HistoryDays != DefaultHistoryDays || o.DailyQuota != DefaultDailyQuota || o.Scale != 1 || !slices.Equal(o.Keys, []string{DefaultKey}) {
				t.Errorf("defaults %+v", o)
			}
			// The default market is a real market's size: over 30,000
			// postings open or visible at the clock.
			if n := len(e.IDs(testNow)); n < 30000 {
				t.Errorf("defaults: %d postings visible, want at least 30000", n)
			}
		}
	}
}

// BenchmarkGeneration generates the default market (a year and more of
// postings at scale 1), as every emulator does when it starts.
func BenchmarkGeneration(b *testing.B) {
	var e *Emulator
	for b.Loop() {
		var err error
		if e, err = New(Options{Seed: 99, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(e.IDs(testNow))), "visible-postings")
}
