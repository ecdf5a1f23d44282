package saramin

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jobpulse/pkg/apicall"
)

// MaxCount is the largest page size the API accepts.
const MaxCount = 110

// Sort orders the API accepts in Query.Sort.
const (
	SortPostedDesc     = "pd" // posting date, newest first (the API's default)
	SortPostedAsc      = "pa" // posting date, oldest first
	SortUpdatedDesc    = "ud" // modification date, newest first
	SortUpdatedAsc     = "ua" // modification date, oldest first
	SortDeadlineAsc    = "da" // deadline, soonest first
	SortDeadlineDesc   = "dd" // deadline, latest first
	SortReadCount      = "rc" // most viewed first
	SortApplicantCount = "ac" // most applicants first
)

// Query is one job-search request, without the access key. Empty strings
// and zero times are left out of the request. Code filters take the API's
// comma-separated code lists (see the code tables of the API guide).
type Query struct {
	// Keywords is free text searched in company names, titles and job
	// keywords.
	Keywords string
	// LocCd filters by region codes (loc_cd).
	LocCd string
	// LocMcd filters by top-level region codes (loc_mcd).
	LocMcd string
	// IndCd filters by industry codes (ind_cd).
	IndCd string
	// JobMidCd filters by job group codes (job_mid_cd).
	JobMidCd string
	// JobCd filters by job codes (job_cd).
	JobCd string
	// JobType filters by employment type codes (job_type).
	JobType string
	// EduLv filters by education level code (edu_lv).
	EduLv string
	// PublishedMin and PublishedMax bound the posting time (published_min,
	// published_max); sent as unix seconds.
	PublishedMin, PublishedMax time.Time
	// UpdatedMin and UpdatedMax bound the modification time (updated_min,
	// updated_max); sent as unix seconds.
	UpdatedMin, UpdatedMax time.Time
	// Sort is one of the Sort* constants; empty leaves the API's default.
	Sort string
	// Start is the 0-based index of the page to fetch.
	Start int
	// Count is the page size, 1..MaxCount; 0 leaves it unset (Pages uses
	// MaxCount).
	Count int
	// Fields asks for optional fields such as "posting-date",
	// "expiration-date", "keyword-code" and "count".
	Fields []string
}

// validSort reports whether s is an order the API accepts.
func validSort(s string) bool {
	switch s {
	case SortPostedDesc, SortPostedAsc, SortUpdatedDesc, SortUpdatedAsc,
		SortDeadlineAsc, SortDeadlineDesc, SortReadCount, SortApplicantCount:
		return true
	}
	return false
}

// Values validates the query and encodes it as request parameters (without
// the access key). Validation failures wrap apicall.ErrBadRequest.
func (q Query) Values() (url.Values, error) {
	if q.Count < 0 || q.Count > MaxCount {
		return nil, fmt.Errorf("%w: count %d not in 1..%d", apicall.ErrBadRequest, q.Count, MaxCount)
	}
	if q.Start < 0 {
		return nil, fmt.Errorf("%w: start %d is negative", apicall.ErrBadRequest, q.Start)
	}
	if q.Sort != "" && !validSort(q.Sort) {
		return nil, fmt.Errorf("%w: unknown sort %q (want pd, pa, ud, ua, da, dd, rc or ac)", apicall.ErrBadRequest, q.Sort)
	}
	if !q.PublishedMin.IsZero() && !q.PublishedMax.IsZero() && q.PublishedMin.After(q.PublishedMax) {
		return nil, fmt.Errorf("%w: published_min %s after published_max %s", apicall.ErrBadRequest,
			q.PublishedMin.UTC().Format(time.RFC3339), q.PublishedMax.UTC().Format(time.RFC3339))
	}
	if !q.UpdatedMin.IsZero() && !q.UpdatedMax.IsZero() && q.UpdatedMin.After(q.UpdatedMax) {
		return nil, fmt.Errorf("%w: updated_min %s after updated_max %s", apicall.ErrBadRequest,
			q.UpdatedMin.UTC().Format(time.RFC3339), q.UpdatedMax.UTC().Format(time.RFC3339))
	}

	v := url.Values{}
	for _, p := range []struct{ name, value string }{
		{"keywords", q.Keywords},
		{"loc_cd", q.LocCd},
		{"loc_mcd", q.LocMcd},
		{"ind_cd", q.IndCd},
		{"job_mid_cd", q.JobMidCd},
		{"job_cd", q.JobCd},
		{"job_type", q.JobType},
		{"edu_lv", q.EduLv},
		{"sort", q.Sort},
	} {
		if s := strings.TrimSpace(p.value); s != "" {
			v.Set(p.name, s)
		}
	}
	for _, p := range []struct {
		name string
		t    time.Time
	}{
		{"published_min", q.PublishedMin},
		{"published_max", q.PublishedMax},
		{"updated_min", q.UpdatedMin},
		{"updated_max", q.UpdatedMax},
	} {
		if !p.t.IsZero() {
			v.Set(p.name, strconv.FormatInt(p.t.Unix(), 10))
		}
	}
	var fields []string
	for _, f := range q.Fields {
		if f = strings.TrimSpace(f); f != "" {
			fields = append(fields, f)
		}
	}
	if len(fields) > 0 {
		v.Set("fields", strings.Join(fields, ","))
	}
	v.Set("start", strconv.Itoa(q.Start))
	if q.Count > 0 {
		v.Set("count", strconv.Itoa(q.Count))
	}
	return v, nil
}
