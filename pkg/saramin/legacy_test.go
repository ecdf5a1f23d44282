package saramin

// The parser as it was before the token reader: encoding/json into the
// wire types, reflection for changed shapes, generic maps for the extra
// fields. ParseJob must agree with it (TestParseJobAgreesWithLegacy,
// FuzzParseJob).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
)

// legacyJob is one posting as the API sends it. Every scalar is a legacyFlex so that a
// field retyped from string to number (or back) still decodes.
type legacyJob struct {
	URL                   legacyFlex     `json:"url"`
	Active                legacyFlex     `json:"active"`
	Company               legacyCompany  `json:"company"`
	Position              legacyPosition `json:"position"`
	Keyword               legacyFlex     `json:"keyword"`
	Salary                legacyCodeName `json:"salary"`
	ID                    legacyFlex     `json:"id"`
	PostingTimestamp      legacyFlex     `json:"posting-timestamp"`
	PostingDate           legacyFlex     `json:"posting-date"`
	ModificationTimestamp legacyFlex     `json:"modification-timestamp"`
	OpeningTimestamp      legacyFlex     `json:"opening-timestamp"`
	ExpirationTimestamp   legacyFlex     `json:"expiration-timestamp"`
	ExpirationDate        legacyFlex     `json:"expiration-date"`
	CloseType             legacyCodeName `json:"close-type"`
	ReadCnt               legacyFlex     `json:"read-cnt"`
	ApplyCnt              legacyFlex     `json:"apply-cnt"`
}

// legacyCompany is the hiring company.
type legacyCompany struct {
	Detail struct {
		Href legacyFlex `json:"href"`
		Name legacyFlex `json:"name"`
	} `json:"detail"`
	Shape string `json:"-"` // as legacyCodeName's
}

// UnmarshalJSON reads the object, or notes in Shape what came instead.
func (c *legacyCompany) UnmarshalJSON(b []byte) error {
	type plain legacyCompany
	return legacyTolerantObject(b, (*plain)(c), &c.Shape)
}

// legacyPosition describes the job itself.
type legacyPosition struct {
	Title           legacyFlex       `json:"title"`
	Industry        legacyCodeName   `json:"industry"`
	Location        legacyCodeName   `json:"location"`
	JobType         legacyCodeName   `json:"job-type"`
	JobMidCode      legacyCodeName   `json:"job-mid-code"`
	JobCode         legacyCodeName   `json:"job-code"`
	ExperienceLevel legacyExperience `json:"experience-level"`
	EducationLevel  legacyCodeName   `json:"required-education-level"`
}

// legacyCodeName is the API's usual {code, name} pair. Either side may hold a
// comma-separated list.
type legacyCodeName struct {
	Code legacyFlex `json:"code"`
	Name legacyFlex `json:"name"`
	// Shape names what arrived instead of an object ("array", "string"),
	// which reads as no value; "" for an object.
	Shape string `json:"-"`
}

// UnmarshalJSON reads the pair, or notes in Shape what came instead.
func (c *legacyCodeName) UnmarshalJSON(b []byte) error {
	type plain legacyCodeName
	return legacyTolerantObject(b, (*plain)(c), &c.Shape)
}

// legacyExperience is the experience-level object: code 0 경력무관, 1 신입, 2 경력,
// 3 신입/경력, with min and max years.
type legacyExperience struct {
	Code  legacyFlex `json:"code"`
	Min   legacyFlex `json:"min"`
	Max   legacyFlex `json:"max"`
	Name  legacyFlex `json:"name"`
	Shape string     `json:"-"` // as legacyCodeName's
}

// UnmarshalJSON reads the object, or notes in Shape what came instead.
func (e *legacyExperience) UnmarshalJSON(b []byte) error {
	type plain legacyExperience
	return legacyTolerantObject(b, (*plain)(e), &e.Shape)
}

// legacyTolerantObject decodes b into v when it is an object (or null); anything
// else is noted in shape, for legacyParseJob to report as drift, and leaves v
// empty.
func legacyTolerantObject(b []byte, v any, shape *string) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == '{' || bytes.Equal(b, []byte("null")) {
		return json.Unmarshal(b, v)
	}
	*shape = legacyShapeOf(b)
	return nil
}

// legacyShapeOf names the JSON kind of b.
func legacyShapeOf(b []byte) string {
	switch b[0] {
	case '[':
		return "array"
	case '{':
		return "object"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	}
	return "number"
}

// legacyFlex is a JSON scalar that may arrive as a string, a number, a boolean or
// null. It keeps the text form; Valid is false for null or a missing field.
type legacyFlex struct {
	S     string
	Valid bool
	// Shape is "array" or "object" when one arrived instead of a scalar:
	// no value (Valid is false), which legacyParseJob reports as drift, or as a
	// reason to set the record aside when the field is required.
	Shape string
	// Number is true when the value arrived as a JSON number.
	Number bool
}

// UnmarshalJSON accepts any scalar. An object or an array is not misread
// as one: it leaves no value and is noted in Shape.
func (f *legacyFlex) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*f = legacyFlex{}
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = legacyFlex{S: s, Valid: true}
	case b[0] == '{' || b[0] == '[':
		if bytes.Equal(b, []byte("{}")) || bytes.Equal(b, []byte("[]")) {
			*f = legacyFlex{}
			return nil
		}
		*f = legacyFlex{Shape: legacyShapeOf(b)}
	default:
		*f = legacyFlex{S: string(b), Valid: true, Number: b[0] == '-' || (b[0] >= '0' && b[0] <= '9')}
	}
	return nil
}

// MarshalJSON writes the value back as a string, or null.
func (f legacyFlex) MarshalJSON() ([]byte, error) {
	if !f.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(f.S)
}

// Int and Bool are Flex's: the new parser reads numbers and flags with
// the same methods, so the reference holds its decoding, not these.
func (f legacyFlex) Int() (int64, bool) { return Flex(f).Int() }
func (f legacyFlex) Bool() (bool, bool) { return Flex(f).Bool() }

// known lists the fields the wire types read, per level, so anything else is
// kept in Posting.Extra instead of being dropped.
var (
	legacyKnownTop = map[string]bool{"url": true, "active": true, "company": true, "position": true,
		"keyword": true, "salary": true, "id": true, "posting-timestamp": true, "posting-date": true,
		"modification-timestamp": true, "opening-timestamp": true, "expiration-timestamp": true,
		"expiration-date": true, "close-type": true, "read-cnt": true, "apply-cnt": true}
	legacyKnownPosition = map[string]bool{"title": true, "industry": true, "location": true, "job-type": true,
		"job-mid-code": true, "job-code": true, "experience-level": true, "required-education-level": true,
		"job-category": true}
)

// legacyParseJob turns one raw job object into a Posting. It is tolerant: numbers
// and strings are interchangeable, a missing optional field becomes null and
// unknown fields are kept in Extra. It fails (wrapping ErrRecord) only when
// the record has no usable id, title or posting time, or is not an object.
func legacyParseJob(raw json.RawMessage) (Posting, error) {
	var j legacyJob
	if err := json.Unmarshal(raw, &j); err != nil {
		return Posting{}, fmt.Errorf("%w: %v", ErrRecord, err)
	}
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
		ExperienceCode: legacyOptInt(j.Position.ExperienceLevel.Code),
		ExperienceMin:  legacyOptInt(j.Position.ExperienceLevel.Min),
		ExperienceMax:  legacyOptInt(j.Position.ExperienceLevel.Max),
		ReadCount:      legacyOptInt(j.ReadCnt),
		ApplyCount:     legacyOptInt(j.ApplyCnt),
	}
	p.OpeningAt = legacyOptionalTime(&p, "opening-timestamp", j.OpeningTimestamp)
	p.ExpiresAt = legacyOptionalTime(&p, "expiration-timestamp", j.ExpirationTimestamp)
	if a, ok := j.Active.Bool(); ok {
		p.Active = &a
	}
	if p.ID == "" {
		return Posting{}, fmt.Errorf("%w: missing id%s", ErrRecord, legacyShaped(j.ID))
	}
	if p.Title == "" {
		return Posting{}, fmt.Errorf("%w: posting %s: missing position.title%s", ErrRecord, p.ID, legacyShaped(j.Position.Title))
	}
	// An optional field whose shape changed reads as no value, noted.
	var drifted []string
	legacyMisshapen(reflect.ValueOf(j), "", &drifted)
	for _, d := range drifted {
		if !required[d] {
			p.Drift = append(p.Drift, d+" changed shape, left null")
		}
	}
	// The posting and modification times are required: the merge keeps
	// the newest version by the modification time, so a guessed one could
	// let an older version win. Neither is ever taken from another field.
	for _, req := range []struct {
		name string
		f    legacyFlex
		dst  *time.Time
	}{{"posting-timestamp", j.PostingTimestamp, &p.PostedAt}, {"modification-timestamp", j.ModificationTimestamp, &p.ModifiedAt}} {
		t, note, ok := legacyReadTime(req.f)
		if !ok {
			return Posting{}, fmt.Errorf("%w: posting %s: missing or unreadable %s %q", ErrRecord, p.ID, req.name, req.f.S)
		}
		*req.dst = t
		p.noteDrift(req.name, note)
	}
	// The API sends these as numbers; a string (or a boolean) is read,
	// noted.
	for _, n := range []struct {
		name string
		f    legacyFlex
	}{{"active", j.Active}, {"position.experience-level.code", j.Position.ExperienceLevel.Code},
		{"position.experience-level.min", j.Position.ExperienceLevel.Min}, {"position.experience-level.max", j.Position.ExperienceLevel.Max},
		{"read-cnt", j.ReadCnt}, {"apply-cnt", j.ApplyCnt}} {
		if n.f.Valid && !n.f.Number {
			p.noteDrift(n.name, "not a number, read as one")
		}
	}
	if u, err := url.Parse(p.URL); err == nil && u.Host == SyntheticHost {
		p.Synthetic = true
	}
	extra, err := legacyExtraFields(raw)
	if err != nil {
		return Posting{}, fmt.Errorf("%w: posting %s: %v", ErrRecord, p.ID, err)
	}
	p.Extra = extra
	if len(extra) > 0 {
		var fields map[string]json.RawMessage
		if json.Unmarshal(extra, &fields) == nil {
			for _, k := range slices.Sorted(maps.Keys(fields)) {
				p.noteDrift(k, "is a field the API did not send before, kept in extra")
			}
		}
	}
	return p, nil
}

// legacyExtraFields collects the fields legacyParseJob does not know, at the top level
// and under position, as one JSON object (nil when there are none).
func legacyExtraFields(raw json.RawMessage) (json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, err
	}
	extra := map[string]json.RawMessage{}
	for k, v := range top {
		if !legacyKnownTop[k] {
			extra[k] = v
		}
	}
	if pos, ok := top["position"]; ok {
		var pm map[string]json.RawMessage
		if json.Unmarshal(pos, &pm) == nil {
			for k, v := range pm {
				if !legacyKnownPosition[k] || (k == "job-category" && !bytes.Equal(bytes.TrimSpace(v), []byte("{}"))) {
					extra["position."+k] = v
				}
			}
		}
	}
	if len(extra) == 0 {
		return nil, nil
	}
	return json.Marshal(extra)
}

func legacyOptInt(f legacyFlex) *int64 {
	n, ok := f.Int()
	if !ok {
		return nil
	}
	return &n
}

// legacyShaped says what arrived instead of a scalar, for a reason.
func legacyShaped(f legacyFlex) string {
	if f.Shape == "" {
		return ""
	}
	return " (an " + f.Shape + " arrived)"
}

// legacyMisshapen lists, by JSON path, the fields of v (a decoded legacyJob) that
// arrived in another shape than expected.
func legacyMisshapen(v reflect.Value, path string, out *[]string) {
	if v.Kind() != reflect.Struct {
		return
	}
	if f := v.FieldByName("Shape"); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
		*out = append(*out, path)
		return
	}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if path != "" {
			name = path + "." + name
		}
		legacyMisshapen(v.Field(i), name, out)
	}
}

// legacyOptionalTime is Posting.optionalTime, which the new parser shares.
func legacyOptionalTime(p *Posting, name string, f legacyFlex) *time.Time {
	return p.optionalTime(name, Flex(f))
}

// legacyReadTime is readTime, which the new parser shares.
func legacyReadTime(f legacyFlex) (time.Time, string, bool) { return readTime(Flex(f)) }
