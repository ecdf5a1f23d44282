package saramin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"jobpulse/pkg/kst"
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
		ExperienceName: j.Position.ExperienceLevel.Name.S,
		EducationCode:  j.Position.EducationLevel.Code.S,
		EducationName:  j.Position.EducationLevel.Name.S,
		SalaryCode:     j.Salary.Code.S,
		SalaryName:     j.Salary.Name.S,
		CloseTypeCode:  j.CloseType.Code.S,
		CloseTypeName:  j.CloseType.Name.S,
	}
	// The lists share one array, each capped at its own length.
	var lists listSplitter
	pos := &j.Position
	lists.reserve(pos.Location.Code.S, pos.Location.Name.S, pos.JobType.Code.S, pos.JobType.Name.S,
		pos.JobMidCode.Code.S, pos.JobMidCode.Name.S, pos.JobCode.Code.S, pos.JobCode.Name.S, j.Keyword.S)
	p.LocationCodes = lists.split(pos.Location.Code.S)
	p.LocationNames = lists.split(pos.Location.Name.S)
	p.JobTypeCodes = lists.split(pos.JobType.Code.S)
	p.JobTypeNames = lists.split(pos.JobType.Name.S)
	p.JobMidCodes = lists.split(pos.JobMidCode.Code.S)
	p.JobMidNames = lists.split(pos.JobMidCode.Name.S)
	p.JobCodes = lists.split(pos.JobCode.Code.S)
	p.JobCodeNames = lists.split(pos.JobCode.Name.S)
	p.Keywords = lists.split(j.Keyword.S)
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
	var shapes [8]string
	for _, path := range j.misshapen(shapes[:0]) {
		if !required[path] {
			p.Drift = append(p.Drift, path+" changed shape, left null")
		}
	}
	// The posting and modification times are required: the merge keeps
	// the newest version by the modification time, so a guessed one could
	// let an older version win. Neither is ever taken from another field.
	var err error
	if p.PostedAt, err = p.requiredTime("posting-timestamp", j.PostingTimestamp); err != nil {
		return Posting{}, err
	}
	if p.ModifiedAt, err = p.requiredTime("modification-timestamp", j.ModificationTimestamp); err != nil {
		return Posting{}, err
	}
	// The API sends these as numbers; a string (or a boolean) is read,
	// noted.
	p.numberDrift("active", j.Active)
	p.numberDrift("position.experience-level.code", j.Position.ExperienceLevel.Code)
	p.numberDrift("position.experience-level.min", j.Position.ExperienceLevel.Min)
	p.numberDrift("position.experience-level.max", j.Position.ExperienceLevel.Max)
	p.numberDrift("read-cnt", j.ReadCnt)
	p.numberDrift("apply-cnt", j.ApplyCnt)
	p.Synthetic = isSynthetic(p.URL)
	if len(extra) > 0 {
		p.Extra = extraObject(extra)
		for _, e := range extra {
			p.noteDrift(e.name, "is a field the API did not send before, kept in extra")
		}
	}
	return p, nil
}

// requiredTime reads the posting or modification time, noting a form
// other than unix seconds.
func (p *Posting) requiredTime(name string, f Flex) (time.Time, error) {
	t, note, ok := readTime(f)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: posting %s: missing or unreadable %s %q", ErrRecord, p.ID, name, f.S)
	}
	p.noteDrift(name, note)
	return t, nil
}

// numberDrift notes a field the API sends as a number that came as a
// string or a boolean.
func (p *Posting) numberDrift(name string, f Flex) {
	if f.Valid && !f.Number {
		p.noteDrift(name, "not a number, read as one")
	}
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

// listSplitter splits several lists into one backing array.
type listSplitter struct{ buf []string }

// reserve makes room for the parts of lists.
func (l *listSplitter) reserve(lists ...string) {
	n := 0
	for _, s := range lists {
		if s != "" {
			n += strings.Count(s, ",") + 1
		}
	}
	l.buf = make([]string, 0, n)
}

// split is SplitList(s) in the reserved array.
func (l *listSplitter) split(s string) []string {
	start, from := len(l.buf), 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ',' {
			continue
		}
		if part := trimSpace(s[from:i]); part != "" {
			l.buf = append(l.buf, part)
		}
		from = i + 1
	}
	return l.buf[start:len(l.buf):len(l.buf)]
}

// trimSpace is strings.TrimSpace, quicker when s plainly starts and ends
// with no white space: ASCII that is not, or a character from U+4000 on
// (Hangul, CJK), where Unicode has no white space.
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c < utf8.RuneSelf && asciiSpace[c] || c >= utf8.RuneSelf && c < 0xE4 {
		return strings.TrimSpace(s)
	}
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		if asciiSpace[c] {
			return strings.TrimSpace(s)
		}
		return s
	}
	if r, _ := utf8.DecodeLastRuneInString(s); r < 0x4000 {
		return strings.TrimSpace(s)
	}
	return s
}

// asciiSpace marks the ASCII white space of unicode.IsSpace.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true}

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

// misshapen appends to out the JSON path of each field of j that arrived
// in another shape than expected, in the order of the wire types' fields.
func (j *Job) misshapen(out []string) []string {
	out = flexShape(out, "url", &j.URL)
	out = flexShape(out, "active", &j.Active)
	if j.Company.Shape != "" {
		out = append(out, "company")
	} else {
		out = flexShape(out, "company.detail.href", &j.Company.Detail.Href)
		out = flexShape(out, "company.detail.name", &j.Company.Detail.Name)
	}
	pos := &j.Position
	out = flexShape(out, "position.title", &pos.Title)
	out = pairShape(out, "position.industry", "position.industry.code", "position.industry.name", &pos.Industry)
	out = pairShape(out, "position.location", "position.location.code", "position.location.name", &pos.Location)
	out = pairShape(out, "position.job-type", "position.job-type.code", "position.job-type.name", &pos.JobType)
	out = pairShape(out, "position.job-mid-code", "position.job-mid-code.code", "position.job-mid-code.name", &pos.JobMidCode)
	out = pairShape(out, "position.job-code", "position.job-code.code", "position.job-code.name", &pos.JobCode)
	if e := &pos.ExperienceLevel; e.Shape != "" {
		out = append(out, "position.experience-level")
	} else {
		out = flexShape(out, "position.experience-level.code", &e.Code)
		out = flexShape(out, "position.experience-level.min", &e.Min)
		out = flexShape(out, "position.experience-level.max", &e.Max)
		out = flexShape(out, "position.experience-level.name", &e.Name)
	}
	out = pairShape(out, "position.required-education-level", "position.required-education-level.code", "position.required-education-level.name", &pos.EducationLevel)
	out = flexShape(out, "keyword", &j.Keyword)
	out = pairShape(out, "salary", "salary.code", "salary.name", &j.Salary)
	out = flexShape(out, "id", &j.ID)
	out = flexShape(out, "posting-timestamp", &j.PostingTimestamp)
	out = flexShape(out, "posting-date", &j.PostingDate)
	out = flexShape(out, "modification-timestamp", &j.ModificationTimestamp)
	out = flexShape(out, "opening-timestamp", &j.OpeningTimestamp)
	out = flexShape(out, "expiration-timestamp", &j.ExpirationTimestamp)
	out = flexShape(out, "expiration-date", &j.ExpirationDate)
	out = pairShape(out, "close-type", "close-type.code", "close-type.name", &j.CloseType)
	out = flexShape(out, "read-cnt", &j.ReadCnt)
	return flexShape(out, "apply-cnt", &j.ApplyCnt)
}

func flexShape(out []string, path string, f *Flex) []string {
	if f.Shape != "" {
		out = append(out, path)
	}
	return out
}

func pairShape(out []string, path, code, name string, c *CodeName) []string {
	if c.Shape != "" {
		return append(out, path)
	}
	return flexShape(flexShape(out, code, &c.Code), name, &c.Name)
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
			if v, err := time.ParseInLocation(form.layout, s, kst.Zone); err == nil {
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
