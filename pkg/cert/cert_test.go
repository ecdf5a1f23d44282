package cert_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/cert"
	"jobpulse/pkg/cert/certtest"
)

func TestLoadDataSet(t *testing.T) {
	t.Parallel()
	stats, err := cert.LoadDataSet()
	if err != nil {
		t.Fatal(err)
	}
	if cert.DataSetVersion() == "" {
		t.Error("no version")
	}
	for _, s := range stats {
		if !strings.HasPrefix(s.Source, "http") {
			t.Errorf("%+v: no source URL", s)
		}
	}
}

func TestParseDataSetRejects(t *testing.T) {
	t.Parallel()
	const head = "# version: t\nexam,stage,year,round,applicants,examinees,passers,pass_rate,source,quality,note\n"
	for name, row := range map[string]string{
		"passers>examinees":    "X,,2024,1,10,5,6,120,https://x,official,",
		"examinees>applicants": "X,,2024,1,4,5,1,20,https://x,official,",
		"bad rate":             "X,,2024,1,10,5,1,50,https://x,official,",
		"no url":               "X,,2024,1,10,5,1,20,blog,official,",
	} {
		if _, _, err := cert.ParseDataSet(strings.NewReader(head + row + "\n")); !errors.Is(err, cert.ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", name, err)
		}
	}
	ok := "X,,2024,1,10,5,1,20,https://x,official,\n"
	if _, _, err := cert.ParseDataSet(strings.NewReader(head + ok)); err != nil {
		t.Error(err)
	}
}

func client(t *testing.T, srv *certtest.Server, key string) *cert.Client {
	t.Helper()
	c, err := cert.New(cert.Config{BaseURL: srv.BaseURL(), ServiceKey: key, RatePerSecond: -1,
		InitialBackoff: time.Millisecond, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStatsEndToEnd(t *testing.T) {
	t.Parallel()
	srv := certtest.NewServer(certtest.Options{})
	defer srv.Close()
	stats, err := client(t, srv, "test-key").Stats(context.Background(), 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 10 { // 5 years x 2 stages
		t.Fatalf("%d stats, want 10", len(stats))
	}
	for _, s := range stats {
		op := "getEventYearPiList"
		if s.Stage == cert.StagePractical {
			op = "getEventYearSiList"
		}
		a, e, p := certtest.Counts("1320", op, s.Year)
		if s.Applicants != a || s.Examinees != e || s.Passers != p || s.Validate() != nil {
			t.Errorf("%+v, want %d %d %d", s, a, e, p)
		}
		if strings.Contains(s.Source, "test-key") || !strings.Contains(s.Source, "jmCd=1320") {
			t.Errorf("source %q", s.Source)
		}
	}
}

func TestResultCodes(t *testing.T) {
	t.Parallel()
	srv := certtest.NewServer(certtest.Options{Key: "good-key"})
	defer srv.Close()
	_, err := client(t, srv, "bad+key/secret").Stats(context.Background(), 2024)
	var re *apicall.APIError
	if !errors.Is(err, cert.ErrKeyNotRegistered) || !errors.As(err, &re) || re.Code != "30" {
		t.Fatalf("bad key: %v", err)
	}
	if srv.Calls() != 1 {
		t.Errorf("bad key retried: %d calls", srv.Calls())
	}
	srv.Set(certtest.Options{Key: "good-key", DailyLimit: 1})
	_, err = client(t, srv, "good-key").Stats(context.Background(), 2024)
	if !errors.Is(err, apicall.ErrQuotaExceeded) || apicall.Retryable(err) {
		t.Fatalf("quota: %v", err)
	}
	if _, err := client(t, srv, "good-key").Stats(context.Background(), 20); !errors.Is(err, apicall.ErrBadRequest) {
		t.Fatalf("bad year: %v", err)
	}
}

func TestRetriesAndHalfwayFailure(t *testing.T) {
	t.Parallel()
	srv := certtest.NewServer(certtest.Options{Fail5xx: 2})
	defer srv.Close()
	if _, err := client(t, srv, "test-key").Stats(context.Background(), 2024); err != nil {
		t.Fatalf("5xx not retried: %v", err)
	}
	srv.Set(certtest.Options{FailAfter: srv.Calls() + 1}) // first operation succeeds, second fails
	stats, err := client(t, srv, "test-key").Stats(context.Background(), 2024)
	if !errors.Is(err, apicall.ErrServer) || stats != nil {
		t.Fatalf("halfway: %v, %d stats; want ErrServer and nothing", err, len(stats))
	}
}

func TestKeyRedacted(t *testing.T) {
	t.Parallel()
	key := "s3cr3t+key/=="
	c, _ := cert.New(cert.Config{BaseURL: "http://127.0.0.1:1/api", ServiceKey: key, RatePerSecond: -1,
		InitialBackoff: time.Millisecond, MaxTries: 2, Timeout: time.Second})
	_, err := c.Stats(context.Background(), 2024)
	if !errors.Is(err, apicall.ErrNetwork) {
		t.Fatalf("err %v, want ErrNetwork", err)
	}
	for _, k := range []string{key, "s3cr3t%2Bkey", "s3cr3t"} {
		if strings.Contains(err.Error(), k) {
			t.Errorf("error leaks the key: %v", err)
		}
	}
}

func TestDrift(t *testing.T) {
	t.Parallel()
	srv := certtest.NewServer(certtest.Options{Drift: true})
	defer srv.Close()
	stats, err := client(t, srv, "test-key").Stats(context.Background(), 2024)
	if err != nil {
		t.Fatalf("unknown element or missing ilrcnt stopped the run: %v", err)
	}
	if len(stats) != 10 || stats[0].Applicants != 0 || stats[0].Examinees == 0 {
		t.Fatalf("%d stats, first %+v; want applicants 0 (not published)", len(stats), stats[0])
	}
	srv.Set(certtest.Options{Malformed: true})
	_, err = client(t, srv, "test-key").Stats(context.Background(), 2024)
	var se *apicall.ShapeError
	if !errors.Is(err, apicall.ErrShape) || !errors.As(err, &se) || len(se.Body) == 0 {
		t.Fatalf("malformed: %v", err)
	}
}

// The pages Pages returns are what Stats reads: parsed again they give the
// same statistics, marked synthetic (the emulator's), and they never hold
// the key.
func TestPagesParseToStats(t *testing.T) {
	t.Parallel()
	srv := certtest.NewServer(certtest.Options{Key: "secret-key-123"})
	t.Cleanup(srv.Close)
	c, err := cert.New(cert.Config{BaseURL: srv.BaseURL(), ServiceKey: "secret-key-123", RatePerSecond: -1,
		Exams: []cert.Exam{{Name: "정보처리기사", JmCd: "1320"}, {Name: "ADsP", JmCd: "E-ADSP"}}})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := c.Pages(context.Background(), 2025)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 4 {
		t.Fatalf("%d pages, want 2 exams x 2 stages", len(pages))
	}
	var n int
	for _, p := range pages {
		if strings.Contains(p.URL, "secret-key-123") || strings.Contains(p.Body, "secret-key-123") {
			t.Fatalf("page holds the key: %s", p.URL)
		}
		st, err := cert.ParsePage(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if !s.Synthetic || s.Origin != cert.OriginAPI || s.Exam != p.Exam.Name || s.Stage != p.Stage {
				t.Fatalf("stat %+v from page %s %s", s, p.Exam.Name, p.Op)
			}
		}
		n += len(st)
	}
	all, err := c.Stats(context.Background(), 2025)
	if err != nil || len(all) != n || n != 20 {
		t.Fatalf("Stats: %d rows (%v), pages give %d; want 20", len(all), err, n)
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	api := []cert.Stat{{Exam: "정보처리기사", Stage: cert.StageWritten, Year: 2022, Examinees: 10, Origin: cert.OriginAPI}}
	ds := []cert.Stat{
		{Exam: "정보처리기사", Stage: cert.StageWritten, Year: 2022, Examinees: 99, Origin: cert.OriginDataSet},
		{Exam: "ADsP", Stage: cert.StageAll, Year: 2023, Examinees: 5, Origin: cert.OriginDataSet},
	}
	got := cert.Merge(api, ds)
	if len(got) != 2 || got[0].Exam != "ADsP" || got[1].Examinees != 10 || got[1].Origin != cert.OriginAPI {
		t.Fatalf("merge %+v: want ADsP from the data set and 정보처리기사 from the API", got)
	}
}
