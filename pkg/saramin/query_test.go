package saramin_test

import (
	"errors"
	"testing"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/saramin"
)

func TestQueryValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		q       saramin.Query
		want    string // url.Values.Encode of the expected parameters
		wantErr bool
	}{
		{name: "zero query", q: saramin.Query{}, want: "start=0"},
		{name: "max count", q: saramin.Query{Count: saramin.MaxCount, Start: 4}, want: "count=110&start=4"},
		{name: "filters trimmed, blanks left out", q: saramin.Query{Keywords: " 데이터 엔지니어 ", LocMcd: "101000", IndCd: "301", JobCd: "84,92", EduLv: "8", LocCd: "  "},
			want: "edu_lv=8&ind_cd=301&job_cd=84%2C92&keywords=%EB%8D%B0%EC%9D%B4%ED%84%B0+%EC%97%94%EC%A7%80%EB%8B%88%EC%96%B4&loc_mcd=101000&start=0"},
		{name: "times as unix seconds whatever the zone", q: saramin.Query{
			PublishedMin: time.Date(2021, 9, 27, 18, 17, 21, 0, kst.Zone), PublishedMax: time.Unix(1632800000, 0),
			UpdatedMin: time.Unix(1632700000, 0).UTC(), UpdatedMax: time.Unix(1632700001, 0)},
			want: "published_max=1632800000&published_min=1632734241&start=0&updated_max=1632700001&updated_min=1632700000"},
		{name: "every sort", q: saramin.Query{Sort: "ac"}, want: "sort=ac&start=0"},
		{name: "fields joined, blanks dropped", q: saramin.Query{Fields: []string{"posting-date", "", " expiration-date "}},
			want: "fields=posting-date%2Cexpiration-date&start=0"},
		{name: "count above max", q: saramin.Query{Count: 111}, wantErr: true},
		{name: "negative count", q: saramin.Query{Count: -1}, wantErr: true},
		{name: "negative start", q: saramin.Query{Start: -1}, wantErr: true},
		{name: "unknown sort", q: saramin.Query{Sort: "newest"}, wantErr: true},
		{name: "sort in upper case", q: saramin.Query{Sort: "PD"}, wantErr: true},
		{name: "published range reversed", q: saramin.Query{PublishedMin: time.Unix(2, 0), PublishedMax: time.Unix(1, 0)}, wantErr: true},
		{name: "updated range reversed", q: saramin.Query{UpdatedMin: time.Unix(2, 0), UpdatedMax: time.Unix(1, 0)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.q.Values()
			if tt.wantErr {
				if !errors.Is(err, apicall.ErrBadRequest) {
					t.Fatalf("Values error = %v, want ErrBadRequest", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Values: %v", err)
			}
			if v.Has("access-key") {
				t.Error("Values carries an access key")
			}
			if got := v.Encode(); got != tt.want {
				t.Errorf("Values\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	for _, s := range []string{"pd", "pa", "ud", "ua", "da", "dd", "rc", "ac"} {
		if _, err := (saramin.Query{Sort: s}).Values(); err != nil {
			t.Errorf("sort %q refused: %v", s, err)
		}
	}
}

func TestSearchInvalidQueryMakesNoRequest(t *testing.T) {
	t.Parallel()
	srv := pagingServer(t, 10)
	c := newClient(t, srv.URL)
	_, err := c.Search(t.Context(), saramin.Query{Count: 500})
	if !errors.Is(err, apicall.ErrBadRequest) || apicall.Retryable(err) {
		t.Fatalf("error = %v, want ErrBadRequest", err)
	}
	if srv.count() != 0 {
		t.Errorf("%d requests, want 0", srv.count())
	}
}
