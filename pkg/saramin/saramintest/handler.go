package saramintest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"jobpulse/pkg/kst"
	"jobpulse/pkg/saramin"
)

// MaxCount is the largest page size the API accepts.
const MaxCount = 110

// Handler returns the HTTP handler: GET /job-search and the /_emulator/
// admin endpoints.
func (e *Emulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /job-search", e.serveJobSearch)
	mux.HandleFunc("GET /_emulator/clock", e.serveGetClock)
	mux.HandleFunc("POST /_emulator/clock", e.serveSetClock)
	mux.HandleFunc("POST /_emulator/faults", e.serveInjectFault)
	mux.HandleFunc("DELETE /_emulator/faults", e.serveClearFaults)
	mux.HandleFunc("GET /_emulator/faults", e.serveListFaults)
	mux.HandleFunc("GET /_emulator/stats", e.serveStats)
	mux.HandleFunc("GET /_emulator/truth", e.serveTruth)
	return mux
}

// query is a parsed /job-search request.
type query struct {
	terms                                            []string
	locCd, locMcd, indCd, jobMid, jobCd, jobType     map[string]bool
	eduLv                                            map[string]bool
	pubMin, pubMax, updMin, updMax                   int64
	hasPubMin, hasPubMax, hasUpdMin, hasUpdMax       bool
	sort                                             string
	start, count                                     int
	postingDate, expirationDate, counts, keywordCode bool
}

var sorts = map[string]bool{"pd": true, "pa": true, "ud": true, "ua": true, "da": true, "dd": true, "rc": true, "ac": true}

func parseQuery(v url.Values) (query, error) {
	q := query{sort: "pd", count: 10}
	bad := func(format string, args ...any) (query, error) {
		return query{}, fmt.Errorf("%w: "+format, append([]any{errParam}, args...)...)
	}
	if s := strings.TrimSpace(v.Get("keywords")); s != "" {
		q.terms = strings.Fields(strings.ToLower(s))
	}
	list := func(name string) map[string]bool {
		s := strings.TrimSpace(v.Get(name))
		if s == "" {
			return nil
		}
		m := map[string]bool{}
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				m[p] = true
			}
		}
		return m
	}
	q.locCd, q.locMcd, q.indCd = list("loc_cd"), list("loc_mcd"), list("ind_cd")
	if b := list("loc_bcd"); b != nil {
		if q.locMcd == nil {
			q.locMcd = map[string]bool{}
		}
		for k := range b {
			q.locMcd[k] = true
		}
	}
	q.jobMid, q.jobCd, q.jobType, q.eduLv = list("job_mid_cd"), list("job_cd"), list("job_type"), list("edu_lv")
	var err error
	times := []struct {
		name string
		dst  *int64
		has  *bool
	}{{"published", &q.pubMin, &q.hasPubMin}, {"published_min", &q.pubMin, &q.hasPubMin}, {"published_max", &q.pubMax, &q.hasPubMax},
		{"updated_min", &q.updMin, &q.hasUpdMin}, {"updated_max", &q.updMax, &q.hasUpdMax}}
	for _, tm := range times {
		s := strings.TrimSpace(v.Get(tm.name))
		if s == "" {
			continue
		}
		t, err := parseWhen(s)
		if err != nil {
			return bad("%s=%q: %v", tm.name, s, err)
		}
		if *tm.has && tm.name == "published_min" {
			t = max(t, *tm.dst)
		}
		*tm.dst, *tm.has = t, true
	}
	if s := v.Get("sort"); s != "" {
		if !sorts[s] {
			return bad("sort=%q: want one of pd, pa, ud, ua, da, dd, rc, ac", s)
		}
		q.sort = s
	}
	if s := v.Get("start"); s != "" {
		if q.start, err = strconv.Atoi(s); err != nil || q.start < 0 {
			return bad("start=%q: want a page index 0 or more", s)
		}
	}
	if s := v.Get("count"); s != "" {
		if q.count, err = strconv.Atoi(s); err != nil || q.count < 1 || q.count > MaxCount {
			return bad("count=%q: want 1 to %d", s, MaxCount)
		}
	}
	for f := range list("fields") {
		switch f {
		case "posting-date":
			q.postingDate = true
		case "expiration-date":
			q.expirationDate = true
		case "count":
			q.counts = true
		case "keyword-code":
			q.keywordCode = true
		default:
			return bad("fields: unknown field %q", f)
		}
	}
	return q, nil
}

var (
	reDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$`)
	reDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	reUnix     = regexp.MustCompile(`^\d{1,12}$`)
)

// parseWhen reads unix seconds, "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DD"
// (both KST).
func parseWhen(s string) (int64, error) {
	switch {
	case reUnix.MatchString(s):
		return strconv.ParseInt(s, 10, 64)
	case reDateTime.MatchString(s):
		t, err := time.ParseInLocation("2006-01-02 15:04:05", strings.Replace(s, "T", " ", 1), kst.Zone)
		return t.Unix(), err
	case reDate.MatchString(s):
		t, err := time.ParseInLocation("2006-01-02", s, kst.Zone)
		return t.Unix(), err
	}
	return 0, errors.New("want unix seconds, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD (KST)")
}

// hit is a posting matching a query, with its state at the clock.
type hit struct {
	p *posting
	s state
}

func (e *Emulator) search(q query, now int64) []hit {
	m := e.market
	lo, hi := m.visible(now)
	var out []hit
	for i := hi - 1; i >= lo; i-- {
		p := &m.postings[i]
		if q.hasPubMin && p.posted < q.pubMin || q.hasPubMax && p.posted >= q.pubMax {
			continue
		}
		if !e.matchCodes(q, p) || !e.matchTerms(q, p) {
			continue
		}
		s := p.state(now)
		if q.hasUpdMin && s.modified < q.updMin || q.hasUpdMax && s.modified >= q.updMax {
			continue
		}
		out = append(out, hit{p, s})
	}
	e.sortHits(q.sort, out, now)
	return out
}

func anyIn(set map[string]bool, vals ...string) bool {
	for _, v := range vals {
		if set[v] {
			return true
		}
	}
	return false
}

func (e *Emulator) matchCodes(q query, p *posting) bool {
	if q.locCd != nil {
		ok := false
		for _, l := range p.locs {
			if q.locCd[l] || q.locCd[l[:3]+"000"] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if q.locMcd != nil {
		ok := false
		for _, l := range p.locs {
			if q.locMcd[l[:3]+"000"] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if q.indCd != nil {
		in, _ := e.tables.Industry(p.industry)
		if !anyIn(q.indCd, p.industry, in.CategoryCode) {
			return false
		}
	}
	if q.jobMid != nil && !anyIn(q.jobMid, p.mids...) {
		return false
	}
	if q.jobCd != nil && !anyIn(q.jobCd, p.jobCodes...) {
		return false
	}
	if q.jobType != nil && !anyIn(q.jobType, p.jobTypes...) {
		return false
	}
	if q.eduLv != nil && !q.eduLv[p.edu] {
		return false
	}
	return true
}

// matchTerms requires every keyword term in the title, the keywords or the
// job-code names (case-insensitive).
func (e *Emulator) matchTerms(q query, p *posting) bool {
	if len(q.terms) == 0 {
		return true
	}
	for _, t := range q.terms {
		if !strings.Contains(p.search, t) {
			return false
		}
	}
	return true
}

func (e *Emulator) sortHits(by string, hs []hit, now int64) {
	key := func(h hit) int64 {
		switch by {
		case "pd", "pa":
			return h.p.posted
		case "ud", "ua":
			return h.s.modified
		case "da", "dd":
			return h.p.expiration
		case "rc":
			r, _ := h.p.counts(now)
			return int64(r)
		default:
			_, a := h.p.counts(now)
			return int64(a)
		}
	}
	desc := by != "pa" && by != "ua" && by != "da"
	slices.SortStableFunc(hs, func(a, b hit) int {
		c := cmp.Compare(key(a), key(b))
		if c == 0 {
			c = cmp.Compare(a.p.id, b.p.id)
		}
		if desc {
			return -c
		}
		return c
	})
}

func (e *Emulator) serveJobSearch(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	faults := e.takeFaults()
	e.mu.Unlock()
	var delay time.Duration
	var after []Fault
	for _, f := range faults {
		switch f.Kind {
		case FaultServerError:
			status := f.Status
			if status == 0 {
				status = http.StatusInternalServerError
			}
			writeError(w, status, CodeInternal, "injected internal error")
			return
		case FaultRateLimit:
			ra := f.RetryAfter
			if ra <= 0 {
				ra = time.Second
			}
			w.Header().Set("Retry-After", strconv.Itoa(int((ra+time.Second-1)/time.Second)))
			writeError(w, http.StatusTooManyRequests, CodeRateLimited, "too many requests (injected)")
			return
		case FaultSlow:
			delay += f.Delay
		default:
			after = append(after, f)
		}
	}
	if delay > 0 && !sleepCtx(r.Context(), delay) {
		return
	}

	e.mu.Lock()
	body, err := e.answer(r.URL.Query())
	e.mu.Unlock()
	if err != nil {
		switch {
		case errors.Is(err, errKey):
			writeError(w, http.StatusUnauthorized, CodeInvalidKey, err.Error())
		case errors.Is(err, errQuota):
			writeError(w, http.StatusTooManyRequests, CodeQuotaExceeded, err.Error())
		case errors.Is(err, errParam):
			writeError(w, http.StatusBadRequest, CodeBadParameter, err.Error())
		default:
			writeError(w, http.StatusInternalServerError, CodeInternal, err.Error())
		}
		return
	}
	truncate := false
	for _, f := range after {
		switch f.Kind {
		case FaultTruncate:
			truncate = true
		default:
			if body, err = mutate(body, f); err != nil {
				writeError(w, http.StatusInternalServerError, CodeInternal, err.Error())
				return
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if truncate {
		_, _ = w.Write(body[:len(body)/2])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	_, _ = w.Write(body)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// answer authorises, counts and evaluates one call; it holds e.mu.
func (e *Emulator) answer(v url.Values) ([]byte, error) {
	if err := e.admit(v.Get("access-key")); err != nil {
		return nil, err
	}
	q, err := parseQuery(v)
	if err != nil {
		return nil, err
	}
	now := e.now.Unix()
	hits := e.search(q, now)
	from := min(q.start*q.count, len(hits))
	to := min(from+q.count, len(hits))
	page := hits[from:to]
	resp := wireResponse{Jobs: wireJobs{Count: len(page), Start: q.start, Total: strconv.Itoa(len(hits)), Job: make([]wireJob, len(page))}}
	for i, h := range page {
		resp.Jobs.Job[i] = e.render(q, h, now)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(resp); err != nil {
		return nil, fmt.Errorf("%w: encode: %v", errInternal, err)
	}
	return buf.Bytes(), nil
}

// The wire types below follow the field order and JSON types of the real
// answer saramin-sample-2021-09-27.json.
type wireResponse struct {
	Jobs wireJobs `json:"jobs"`
}

type wireJobs struct {
	Count int       `json:"count"`
	Start int       `json:"start"`
	Total string    `json:"total"`
	Job   []wireJob `json:"job"`
}

type codeName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type optName struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
}

type wireJob struct {
	URL     string `json:"url"`
	Active  int    `json:"active"`
	Company struct {
		Detail struct {
			Href string `json:"href"`
			Name string `json:"name"`
		} `json:"detail"`
	} `json:"company"`
	Position              wirePosition `json:"position"`
	Keyword               string       `json:"keyword"`
	Salary                optName      `json:"salary"`
	ID                    string       `json:"id"`
	PostingTimestamp      string       `json:"posting-timestamp"`
	PostingDate           string       `json:"posting-date,omitempty"`
	ModificationTimestamp string       `json:"modification-timestamp"`
	OpeningTimestamp      string       `json:"opening-timestamp"`
	ExpirationTimestamp   string       `json:"expiration-timestamp"`
	ExpirationDate        string       `json:"expiration-date,omitempty"`
	CloseType             codeName     `json:"close-type"`
	ReadCnt               *int         `json:"read-cnt,omitempty"`
	ApplyCnt              *int         `json:"apply-cnt,omitempty"`
}

type wirePosition struct {
	Title           string         `json:"title"`
	Industry        codeName       `json:"industry"`
	Location        codeName       `json:"location"`
	JobType         codeName       `json:"job-type"`
	JobCategory     struct{}       `json:"job-category"`
	JobMidCode      codeName       `json:"job-mid-code"`
	JobCode         codeName       `json:"job-code"`
	ExperienceLevel wireExperience `json:"experience-level"`
	EducationLevel  codeName       `json:"required-education-level"`
}

type wireExperience struct {
	Code int    `json:"code"`
	Min  int    `json:"min"`
	Max  int    `json:"max"`
	Name string `json:"name"`
}

const utm = "utm_source=job-search-api&utm_medium=api&utm_campaign=saramin-job-search-api"

func (e *Emulator) render(q query, h hit, now int64) wireJob {
	p, s := h.p, h.s
	t := e.tables
	c := &e.market.companies[p.company]
	var j wireJob
	j.URL = fmt.Sprintf("http://%s/zf_user/jobs/relay/view?rec_idx=%d&%s", saramin.SyntheticHost, p.id, utm)
	if s.active {
		j.Active = 1
	}
	j.Company.Detail.Href = fmt.Sprintf("http://%s/zf_user/company-info/view?csn=%s&%s", saramin.SyntheticHost, c.csn, utm)
	j.Company.Detail.Name = c.name
	pos := &j.Position
	pos.Title = p.title
	in, _ := t.Industry(p.industry)
	pos.Industry = codeName{in.Code, in.Name}
	names := make([]string, len(p.locs))
	for i, l := range p.locs {
		loc, _ := t.Location(l)
		names[i] = loc.FullName()
	}
	pos.Location = codeName{strings.Join(p.locs, ","), strings.Join(names, ",")}
	names = names[:0]
	for _, c := range p.jobTypes {
		jt, _ := t.JobType(c)
		names = append(names, jt.Name)
	}
	pos.JobType = codeName{strings.Join(p.jobTypes, ","), strings.Join(names, ",")}
	names = names[:0]
	for _, c := range p.mids {
		jm, _ := t.JobMid(c)
		names = append(names, jm.Name)
	}
	pos.JobMidCode = codeName{strings.Join(p.mids, ","), strings.Join(names, ",")}
	pos.JobCode = codeName{strings.Join(p.jobCodes, ","), p.names}
	pos.ExperienceLevel = wireExperience{Code: int(p.expCode), Min: int(p.expMin), Max: int(p.expMax), Name: experienceName(p)}
	edu, _ := t.Education(p.edu)
	pos.EducationLevel = codeName{edu.Code, edu.Name}
	j.Keyword = strings.Join(p.keywords, ",")
	sal, _ := t.Salary(p.salaryAt(s))
	j.Salary = optName{sal.Code, sal.Name}
	j.ID = strconv.FormatInt(p.id, 10)
	j.PostingTimestamp = strconv.FormatInt(p.posted, 10)
	j.ModificationTimestamp = strconv.FormatInt(s.modified, 10)
	j.OpeningTimestamp = strconv.FormatInt(p.opening, 10)
	j.ExpirationTimestamp = strconv.FormatInt(p.expiration, 10)
	ct, _ := t.CloseType(p.closeType)
	j.CloseType = codeName{ct.Code, ct.Name}
	if q.postingDate {
		j.PostingDate = time.Unix(p.posted, 0).In(kst.Zone).Format("2006-01-02T15:04:05-0700")
	}
	if q.expirationDate {
		j.ExpirationDate = time.Unix(p.expiration, 0).In(kst.Zone).Format("2006-01-02T15:04:05-0700")
	}
	if q.counts {
		r, a := p.counts(now)
		j.ReadCnt, j.ApplyCnt = &r, &a
	}
	return j
}

// experienceName prints the level as the API does: "경력무관", "신입",
// "경력3년↑", "경력 3~10년", "신입/경력".
func experienceName(p *posting) string {
	switch p.expCode {
	case 0:
		return "경력무관"
	case 1:
		return "신입"
	case 2:
		if p.expMax == 0 {
			return fmt.Sprintf("경력%d년↑", p.expMin)
		}
		return fmt.Sprintf("경력 %d~%d년", p.expMin, p.expMax)
	default:
		return "신입/경력"
	}
}

// mutate applies a drift or broken-record fault to a rendered answer. A
// byte-order mark is put before the body as it is (once); every other
// fault decodes and re-encodes it, keeping a mark already in front (an
// earlier bom fault) in front.
func mutate(body []byte, f Fault) ([]byte, error) {
	drift := ""
	if f.Kind == FaultDrift {
		drift = f.Drift
	}
	if drift == DriftBOM {
		if bytes.HasPrefix(body, utf8BOM) {
			return body, nil
		}
		return append(slices.Clip(utf8BOM), body...), nil
	}
	body, bom := bytes.CutPrefix(body, utf8BOM)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("fault %s: decode: %w", f.Kind, err)
	}
	jobs, _ := doc["jobs"].(map[string]any)
	list, _ := jobs["job"].([]any)
	for i, raw := range list {
		job, _ := raw.(map[string]any)
		if job == nil {
			continue
		}
		pos, _ := job["position"].(map[string]any)
		switch {
		case f.Kind == FaultBrokenRecord && i == 0:
			switch f.Drift {
			case "empty":
				job["id"] = ""
			case BrokenUnknownRegion:
				if loc, ok := pos["location"].(map[string]any); ok {
					loc["code"] = UnknownRegionCode
					loc["name"] = "알수없음 > 알수없음"
				}
			default:
				job["id"] = nil
			}
		case drift == DriftRenamePostingTimestamp:
			job["posting-time"] = job["posting-timestamp"]
			delete(job, "posting-timestamp")
		case drift == DriftRetypeExperienceCode:
			if el, ok := pos["experience-level"].(map[string]any); ok {
				el["code"] = fmt.Sprint(el["code"])
			}
		case drift == DriftAddUnknownField:
			job["recruit-extra"] = map[string]any{"remote": "1", "tags": []any{"synthetic"}}
			if pos != nil {
				pos["work-style"] = "hybrid"
			}
		case drift == DriftDropTitle && i == 0:
			delete(pos, "title")
		case drift == DriftDropModificationTimestamp:
			delete(job, "modification-timestamp")
		case drift == DriftUnreadableModificationTimestamp:
			job["modification-timestamp"] = "unknown"
		default:
			retime(job, drift)
			reshape(job, pos, drift)
		}
	}
	if jobs != nil {
		switch drift {
		case DriftEmptyJobs:
			jobs["job"] = []any{}
		case DriftZeroTotal:
			jobs["total"] = "0"
		case DriftDropLastJob:
			if len(list) > 0 {
				jobs["job"] = list[:len(list)-1]
			}
		case DriftNullJobs:
			jobs["job"] = nil
		case DriftTotalInflated:
			if n, err := strconv.Atoi(fmt.Sprint(jobs["total"])); err == nil {
				jobs["total"] = strconv.Itoa(n + InflatedBy)
			}
		}
	}
	if drift == DriftNoJobs {
		doc = map[string]any{"result": "ok"}
	}
	var buf bytes.Buffer
	if bom {
		buf.Write(utf8BOM)
	}
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("fault %s: encode: %w", f.Kind, err)
	}
	return buf.Bytes(), nil
}

// utf8BOM is the byte-order mark DriftBOM puts before the body.
var utf8BOM = []byte("\xef\xbb\xbf")

// timestampFields are the four timestamps of a posting.
var timestampFields = []string{"posting-timestamp", "modification-timestamp", "opening-timestamp", "expiration-timestamp"}

// retime rewrites a posting's timestamps as drift names: which fields, and
// in which form. Only a value in unix seconds (a string or a number) is
// rewritten; a field missing or in another form is left as it is.
func retime(job map[string]any, drift string) {
	var (
		fields = timestampFields
		form   func(sec int64) any
	)
	switch drift {
	case DriftISOModificationTimestamp:
		fields = []string{"modification-timestamp"}
		form = func(sec int64) any { return time.Unix(sec, 0).In(kst.Zone).Format(time.RFC3339) }
	case DriftISOExpirationTimestamp:
		fields = []string{"expiration-timestamp"}
		form = func(sec int64) any { return time.Unix(sec, 0).In(kst.Zone).Format(time.RFC3339) }
	case DriftLocalTimestamps:
		form = func(sec int64) any { return time.Unix(sec, 0).In(kst.Zone).Format(time.DateTime) }
	case DriftMillisTimestamps:
		form = func(sec int64) any { return strconv.FormatInt(sec*1000, 10) }
	case DriftNumericTimestamps:
		form = func(sec int64) any { return json.Number(strconv.FormatInt(sec, 10)) }
	default:
		return
	}
	for _, name := range fields {
		v, ok := job[name]
		if !ok {
			continue
		}
		var text string
		switch x := v.(type) {
		case string:
			text = x
		case json.Number:
			text = x.String()
		default:
			continue
		}
		if !reUnix.MatchString(text) {
			continue
		}
		sec, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			continue
		}
		job[name] = form(sec)
	}
}

// reshape turns a posting's salary, keyword or position.location into the
// array drift names.
func reshape(job, pos map[string]any, drift string) {
	switch drift {
	case DriftSalaryArray:
		if v, ok := job["salary"]; ok {
			job["salary"] = []any{v}
		}
	case DriftKeywordArray:
		if s, ok := job["keyword"].(string); ok {
			words := []any{}
			for _, w := range strings.Split(s, ",") {
				if w != "" {
					words = append(words, w)
				}
			}
			job["keyword"] = words
		}
	case DriftLocationObjectArray:
		loc, ok := pos["location"].(map[string]any)
		if !ok {
			return
		}
		code, _ := loc["code"].(string)
		name, _ := loc["name"].(string)
		codes, names := strings.Split(code, ","), strings.Split(name, ",")
		out := make([]any, len(codes))
		for i, c := range codes {
			n := ""
			if i < len(names) {
				n = names[i]
			}
			out[i] = map[string]any{"code": c, "name": n}
		}
		pos["location"] = out
	}
}

// errorBody is the emulator's error answer.
type errorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, errorBody{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// ClockBody is the JSON of GET and POST /_emulator/clock.
type ClockBody struct {
	Now time.Time `json:"now"`
}

func (e *Emulator) serveGetClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, ClockBody{Now: e.Now()})
}

func (e *Emulator) serveSetClock(w http.ResponseWriter, r *http.Request) {
	var b ClockBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil || b.Now.IsZero() {
		writeError(w, http.StatusBadRequest, CodeBadParameter, fmt.Sprintf("want {\"now\": RFC3339}: %v", err))
		return
	}
	e.SetNow(b.Now)
	writeJSON(w, http.StatusOK, ClockBody{Now: e.Now()})
}

func (e *Emulator) serveInjectFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadParameter, fmt.Sprintf("fault: %v", err))
		return
	}
	if err := e.InjectFault(f); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadParameter, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, e.Faults())
}

func (e *Emulator) serveClearFaults(w http.ResponseWriter, _ *http.Request) {
	e.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) serveListFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, e.Faults())
}

// Stats is the JSON of GET /_emulator/stats.
type Stats struct {
	Now        time.Time      `json:"now"`
	Visible    int            `json:"visible"`
	Postings   int            `json:"postings_generated"`
	CallsToday map[string]int `json:"calls_today"`
	DailyQuota int            `json:"daily_quota"`
	Faults     []Fault        `json:"faults"`
}

// Stats returns the emulator's counters.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	lo, hi := e.market.visible(e.now.Unix())
	st := Stats{Now: e.now, Visible: hi - lo, Postings: len(e.market.postings), CallsToday: map[string]int{},
		DailyQuota: e.opts.DailyQuota, Faults: []Fault{}}
	day := dayNumber(e.now)
	for _, k := range e.opts.Keys {
		if q := e.calls[k]; q.day == day {
			st.CallsToday[k] = q.calls
		} else {
			st.CallsToday[k] = 0
		}
	}
	for _, f := range e.faults {
		ff := f.Fault
		ff.Count = f.left
		st.Faults = append(st.Faults, ff)
	}
	return st
}

func (e *Emulator) serveStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, e.Stats())
}

// TruthBody is the JSON of GET /_emulator/truth: the clock and every
// posting served at it, as Truth returns them.
type TruthBody struct {
	Now      time.Time      `json:"now"`
	Postings []TruthPosting `json:"postings"`
}

func (e *Emulator) serveTruth(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	b := TruthBody{Now: e.now, Postings: e.truthLocked()}
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, b)
}
