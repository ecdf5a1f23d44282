package saramin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Posting is one job posting, cleaned and typed: the row the transformer
// writes and the warehouse loads. Multi-valued codes are split into lists;
// the job-code names are kept as their own list, never zipped with the codes
// (the API's name list also carries keywords and is usually longer).
type Posting struct {
	ID             string          `json:"id"`
	URL            string          `json:"url,omitempty"`
	Active         *bool           `json:"active"`
	CompanyName    string          `json:"company_name,omitempty"`
	CompanyHref    string          `json:"company_href,omitempty"`
	Title          string          `json:"title"`
	IndustryCode   string          `json:"industry_code,omitempty"`
	IndustryName   string          `json:"industry_name,omitempty"`
	LocationCodes  []string        `json:"location_codes"`
	LocationNames  []string        `json:"location_names"`
	JobTypeCodes   []string        `json:"job_type_codes"`
	JobTypeNames   []string        `json:"job_type_names"`
	JobMidCodes    []string        `json:"job_mid_codes"`
	JobMidNames    []string        `json:"job_mid_names"`
	JobCodes       []string        `json:"job_codes"`
	JobCodeNames   []string        `json:"job_code_names"`
	ExperienceCode *int64          `json:"experience_code"`
	ExperienceMin  *int64          `json:"experience_min"`
	ExperienceMax  *int64          `json:"experience_max"`
	ExperienceName string          `json:"experience_name,omitempty"`
	EducationCode  string          `json:"education_code,omitempty"`
	EducationName  string          `json:"education_name,omitempty"`
	Keywords       []string        `json:"keywords"`
	SalaryCode     string          `json:"salary_code,omitempty"`
	SalaryName     string          `json:"salary_name,omitempty"`
	PostedAt       time.Time       `json:"posted_at"`
	ModifiedAt     time.Time       `json:"modified_at"`
	OpeningAt      *time.Time      `json:"opening_at"`
	ExpiresAt      *time.Time      `json:"expires_at"`
	CloseTypeCode  string          `json:"close_type_code,omitempty"`
	CloseTypeName  string          `json:"close_type_name,omitempty"`
	ReadCount      *int64          `json:"read_count"`
	ApplyCount     *int64          `json:"apply_count"`
	Synthetic      bool            `json:"synthetic"`
	Extra          json.RawMessage `json:"extra,omitempty"`
	// Drift names each accommodation ParseJob made for this record (a
	// timestamp read in another form than unix seconds), for the caller
	// to log as shape drift. It is not part of the clean row.
	Drift        []string `json:"-"`
	RunID        string   `json:"run_id"`
	SourceObject string   `json:"source_object"`
	// Skills are the data skills and tools the posting names, by their
	// canonical names (package skills): the transformer sets them,
	// ParseJob leaves them nil.
	Skills []string `json:"skills"`
}

// SyntheticHost is the host name the emulator puts in every URL it serves,
// so synthetic postings can never be mistaken for real ones.
const SyntheticHost = "saramin.synthetic.invalid"

// ErrRecord is wrapped by every reason a record cannot be understood.
var ErrRecord = errors.New("saramin: record not understood")

// ParseJob turns one raw job object into a Posting. It is tolerant: numbers
// and strings are interchangeable, a missing optional field becomes null and
// unknown fields are kept in Extra. It fails (wrapping ErrRecord) only when
// the record has no usable id, title or posting time, or is not an object.
// The record is read once, token by token (see reader).
func ParseJob(raw json.RawMessage) (Posting, error) {
	r := reader{s: string(raw)}
	p, err := r.posting()
	if r.end(); r.bad {
		var v any
		jerr := json.Unmarshal(raw, &v)
		if jerr == nil {
			jerr = errors.New("not one JSON value")
		}
		return Posting{}, fmt.Errorf("%w: %v", ErrRecord, jerr)
	}
	return p, err
}

// posting makes the Posting of a record read into j, whose unknown fields
// are extra (sorted, each name once).
func (j *Job) posting(extra []extra) (Posting, error) {
	p := Posting{
		ID:             strings.TrimSpace(j.ID.S),
		URL:            j.URL.S,
		CompanyName:    j.Company.Detail.Name.S,
		CompanyHref:    j.Company.Detail.Href.S,
		Title:          strings.TrimSpace(j.Position.Title.S),
		IndustryCode:   j.Position.Industry.Code.S,
		IndustryName:   j.Position.Industry.Name.S,
		LocationCodes:  SplitList(j.Position.Location.Code.S),
		LocationNames:  SplitList(j.Position.Location.Name.S),
		JobTypeCodes:   SplitList(j.Position.JobType.Code.S),
		JobTypeNames:   SplitList(j.Position.JobType.Name.S),
		JobMidCodes:    SplitList(j.Position.JobMidCode.Code.S),
		JobMidNames:    SplitList(j.Position.JobMidCode.Name.S),
		JobCodes:       SplitList(j.Position.JobCode.Code.S),
		JobCodeNames:   SplitList(j.Position.JobCode.Name.S),
		ExperienceName: j.Position.ExperienceLevel.Name.S,
		EducationCode:  j.Position.EducationLevel.Code.S,
		EducationName:  j.Position.EducationLevel.Name.S,
		Keywords:       SplitList(j.Keyword.S),
		SalaryCode:     j.Salary.Code.S,
		SalaryName:     j.Salary.Name.S,
		CloseTypeCode:  j.CloseType.Code.S,
		CloseTypeName:  j.CloseType.Name.S,
	}
	var ints [5]struct {
		f   Flex
		dst **int64
	}
	ints[0].f, ints[0].dst = j.Position.ExperienceLevel.Code, &p.ExperienceCode
	ints[1].f, ints[1].dst = j.Position.ExperienceLevel.Min, &p.ExperienceMin
	ints[2].f, ints[2].dst = j.Position.ExperienceLevel.Max, &p.ExperienceMax
	ints[3].f, ints[3].dst = j.ReadCnt, &p.ReadCount
	ints[4].f, ints[4].dst = j.ApplyCnt, &p.ApplyCount
	var store *[5]int64 // one allocation for the posting's numbers
	for k, n := range ints {
		if v, ok := n.f.Int(); ok {
			if store == nil {
				store = new([5]int64)
			}
			store[k] = v
			*n.dst = &store[k]
		}
	}
	p.OpeningAt = p.optionalTime("opening-timestamp", j.OpeningTimestamp)
	p.ExpiresAt = p.optionalTime("expiration-timestamp", j.ExpirationTimestamp)
	if a, ok := j.Active.Bool(); ok {
		p.Active = &a
	}
	if p.ID == "" {
		return Posting{}, fmt.Errorf("%w: missing id%s", ErrRecord, shaped(j.ID))
	}
	if p.Title == "" {
		return Posting{}, fmt.Errorf("%w: posting %s: missing position.title%s", ErrRecord, p.ID, shaped(j.Position.Title))
	}
	// An optional field whose shape changed reads as no value, noted.
	j.misshapen(func(path string) {
		if !required[path] {
			p.Drift = append(p.Drift, path+" changed shape, left null")
		}
	})
	// The posting and modification times are required: the merge keeps
	// the newest version by the modification time, so a guessed one could
	// let an older version win. Neither is ever taken from another field.
	for _, req := range [...]struct {
		name string
		f    *Flex
		dst  *time.Time
	}{{"posting-timestamp", &j.PostingTimestamp, &p.PostedAt}, {"modification-timestamp", &j.ModificationTimestamp, &p.ModifiedAt}} {
		t, note, ok := readTime(*req.f)
		if !ok {
			return Posting{}, fmt.Errorf("%w: posting %s: missing or unreadable %s %q", ErrRecord, p.ID, req.name, req.f.S)
		}
		*req.dst = t
		p.noteDrift(req.name, note)
	}
	// The API sends these as numbers; a string (or a boolean) is read,
	// noted.
	for _, n := range [...]struct {
		name string
		f    *Flex
	}{{"active", &j.Active}, {"position.experience-level.code", &j.Position.ExperienceLevel.Code},
		{"position.experience-level.min", &j.Position.ExperienceLevel.Min}, {"position.experience-level.max", &j.Position.ExperienceLevel.Max},
		{"read-cnt", &j.ReadCnt}, {"apply-cnt", &j.ApplyCnt}} {
		if n.f.Valid && !n.f.Number {
			p.noteDrift(n.name, "not a number, read as one")
		}
	}
	p.Synthetic = isSynthetic(p.URL)
	if len(extra) > 0 {
		p.Extra = extraObject(extra)
		for _, e := range extra {
			p.noteDrift(e.name, "is a field the API did not send before, kept in extra")
		}
	}
	return p, nil
}

// isSynthetic reports whether u is a URL on SyntheticHost.
func isSynthetic(u string) bool {
	// Only a URL naming the host, or escaping some of it, can be on it;
	// the API's own URLs are neither and need not be parsed.
	if !strings.Contains(u, SyntheticHost) && !strings.Contains(u, "%") {
		return false
	}
	parsed, err := url.Parse(u)
	return err == nil && parsed.Host == SyntheticHost
}

// SplitList splits the API's comma-separated lists, trimming blanks.
func SplitList(s string) []string {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func optInt(f Flex) *int64 {
	n, ok := f.Int()
	if !ok {
		return nil
	}
	return &n
}

// required are the fields without which a record is set aside (checked
// by ParseJob itself, with their own reasons).
var required = map[string]bool{"id": true, "position.title": true, "posting-timestamp": true, "modification-timestamp": true}

// shaped says what arrived instead of a scalar, for a reason.
func shaped(f Flex) string {
	if f.Shape == "" {
		return ""
	}
	return " (an " + f.Shape + " arrived)"
}

// misshapen calls note with the JSON path of each field of j that arrived
// in another shape than expected, in the order of the wire types' fields.
func (j *Job) misshapen(note func(path string)) {
	flex := func(path string, f *Flex) {
		if f.Shape != "" {
			note(path)
		}
	}
	pair := func(path, code, name string, c *CodeName) {
		if c.Shape != "" {
			note(path)
			return
		}
		flex(code, &c.Code)
		flex(name, &c.Name)
	}
	flex("url", &j.URL)
	flex("active", &j.Active)
	if j.Company.Shape != "" {
		note("company")
	} else {
		flex("company.detail.href", &j.Company.Detail.Href)
		flex("company.detail.name", &j.Company.Detail.Name)
	}
	pos := &j.Position
	flex("position.title", &pos.Title)
	pair("position.industry", "position.industry.code", "position.industry.name", &pos.Industry)
	pair("position.location", "position.location.code", "position.location.name", &pos.Location)
	pair("position.job-type", "position.job-type.code", "position.job-type.name", &pos.JobType)
	pair("position.job-mid-code", "position.job-mid-code.code", "position.job-mid-code.name", &pos.JobMidCode)
	pair("position.job-code", "position.job-code.code", "position.job-code.name", &pos.JobCode)
	if e := &pos.ExperienceLevel; e.Shape != "" {
		note("position.experience-level")
	} else {
		flex("position.experience-level.code", &e.Code)
		flex("position.experience-level.min", &e.Min)
		flex("position.experience-level.max", &e.Max)
		flex("position.experience-level.name", &e.Name)
	}
	pair("position.required-education-level", "position.required-education-level.code", "position.required-education-level.name", &pos.EducationLevel)
	flex("keyword", &j.Keyword)
	pair("salary", "salary.code", "salary.name", &j.Salary)
	flex("id", &j.ID)
	flex("posting-timestamp", &j.PostingTimestamp)
	flex("posting-date", &j.PostingDate)
	flex("modification-timestamp", &j.ModificationTimestamp)
	flex("opening-timestamp", &j.OpeningTimestamp)
	flex("expiration-timestamp", &j.ExpirationTimestamp)
	flex("expiration-date", &j.ExpirationDate)
	pair("close-type", "close-type.code", "close-type.name", &j.CloseType)
	flex("read-cnt", &j.ReadCnt)
	flex("apply-cnt", &j.ApplyCnt)
}

// optionalTime reads an optional timestamp: missing is nil; a form other
// than unix seconds is read and noted; an unreadable one is nil, noted.
func (p *Posting) optionalTime(name string, f Flex) *time.Time {
	if !f.Valid || strings.TrimSpace(f.S) == "" {
		return nil
	}
	t, note, ok := readTime(f)
	if !ok {
		p.noteDrift(name, "unreadable, left null")
		return nil
	}
	p.noteDrift(name, note)
	return &t
}

func (p *Posting) noteDrift(name, note string) {
	if note != "" {
		p.Drift = append(p.Drift, name+" "+note)
	}
}

// isoForms are the ISO-8601 forms readTime reads, each with the note it
// makes.
var isoForms = []struct{ layout, note string }{
	{time.RFC3339Nano, "as ISO-8601"},
	{"2006-01-02T15:04:05Z0700", "as ISO-8601"},
	{"2006-01-02 15:04:05Z07:00", "as ISO-8601"},
	{"2006-01-02T15:04:05", "as ISO-8601 without a zone, read in KST"},
	{"2006-01-02 15:04:05", "as ISO-8601 without a zone, read in KST"},
}

// kstZone is the API's own zone, for a time sent without one.
var kstZone = time.FixedZone("KST", 9*60*60)

// readTime reads a timestamp as the API sends it, unix seconds in a
// string, and in the forms it could drift to, which it names in note: a
// JSON number, unix milliseconds, ISO-8601 with a zone, ISO-8601 without one
// (read in KST, the API's zone). A time outside 2000-2100 is not a time.
func readTime(f Flex) (t time.Time, note string, ok bool) {
	s := strings.TrimSpace(f.S)
	if !f.Valid || s == "" {
		return time.Time{}, "", false
	}
	if n, isInt := f.Int(); isInt {
		switch {
		case n >= 1e11: // past 5138 in seconds: milliseconds
			t, note = time.UnixMilli(n).UTC(), "in milliseconds"
		default:
			t = time.Unix(n, 0).UTC()
		}
		if f.Number {
			// The API sends its timestamps as strings.
			note = strings.TrimSpace("as a number " + note)
		}
	} else {
		parsed := false
		for _, form := range isoForms {
			// A zone in the text wins over KST, given for those without.
			if v, err := time.ParseInLocation(form.layout, s, kstZone); err == nil {
				t, note, parsed = v.UTC(), form.note, true
				break
			}
		}
		if !parsed {
			return time.Time{}, "", false
		}
	}
	if y := t.Year(); y < 2000 || y > 2100 {
		return time.Time{}, "", false
	}
	return t, note, true
}
