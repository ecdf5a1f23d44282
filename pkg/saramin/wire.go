package saramin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Response is one answer of GET /job-search.
//
//	{"jobs": {"count": 110, "start": 0, "total": "28327", "job": [...]}}
type Response struct {
	Jobs Jobs `json:"jobs"`
}

// Jobs is the page envelope. Total arrives as a string in the real API and
// Count and Start as numbers; Flex accepts either.
type Jobs struct {
	Count Flex              `json:"count"`
	Start Flex              `json:"start"`
	Total Flex              `json:"total"`
	Job   []json.RawMessage `json:"job"`
}

// Job is one posting as the API sends it, filled by ParseJob's reader in
// one pass (not by encoding/json; the tags name the API's fields). Every
// scalar is a Flex so that a field retyped from string to number (or back)
// still reads; an object the reader tolerates in another shape (Company,
// CodeName, Experience) notes that shape and reads as no value.
type Job struct {
	URL                   Flex     `json:"url"`
	Active                Flex     `json:"active"`
	Company               Company  `json:"company"`
	Position              Position `json:"position"`
	Keyword               Flex     `json:"keyword"`
	Salary                CodeName `json:"salary"`
	ID                    Flex     `json:"id"`
	PostingTimestamp      Flex     `json:"posting-timestamp"`
	PostingDate           Flex     `json:"posting-date"`
	ModificationTimestamp Flex     `json:"modification-timestamp"`
	OpeningTimestamp      Flex     `json:"opening-timestamp"`
	ExpirationTimestamp   Flex     `json:"expiration-timestamp"`
	ExpirationDate        Flex     `json:"expiration-date"`
	CloseType             CodeName `json:"close-type"`
	ReadCnt               Flex     `json:"read-cnt"`
	ApplyCnt              Flex     `json:"apply-cnt"`
}

// Company is the hiring company.
type Company struct {
	Detail CompanyDetail `json:"detail"`
	Shape  string        `json:"-"` // as CodeName's
}

// CompanyDetail is the company's name and page. Unlike the objects around
// it, it is not tolerated in another shape: a record whose detail is not
// an object (or null) is not understood.
type CompanyDetail struct {
	Href Flex `json:"href"`
	Name Flex `json:"name"`
}

// Position describes the job itself. It is not tolerated in another
// shape: a record whose position is not an object (or null) is not
// understood.
type Position struct {
	Title           Flex       `json:"title"`
	Industry        CodeName   `json:"industry"`
	Location        CodeName   `json:"location"`
	JobType         CodeName   `json:"job-type"`
	JobMidCode      CodeName   `json:"job-mid-code"`
	JobCode         CodeName   `json:"job-code"`
	ExperienceLevel Experience `json:"experience-level"`
	EducationLevel  CodeName   `json:"required-education-level"`
}

// CodeName is the API's usual {code, name} pair. Either side may hold a
// comma-separated list.
type CodeName struct {
	Code Flex `json:"code"`
	Name Flex `json:"name"`
	// Shape names what arrived instead of an object ("array", "string",
	// "number", "boolean"), which reads as no value; "" for an object or
	// null.
	Shape string `json:"-"`
}

// Experience is the experience-level object: code 0 경력무관, 1 신입, 2 경력,
// 3 신입/경력, with min and max years.
type Experience struct {
	Code  Flex   `json:"code"`
	Min   Flex   `json:"min"`
	Max   Flex   `json:"max"`
	Name  Flex   `json:"name"`
	Shape string `json:"-"` // as CodeName's
}

// Flex is a JSON scalar that may arrive as a string, a number, a boolean or
// null. It keeps the text form; Valid is false for null or a missing field.
type Flex struct {
	S     string
	Valid bool
	// Shape is "array" or "object" when one arrived instead of a scalar:
	// no value (Valid is false), which ParseJob reports as drift, or as a
	// reason to set the record aside when the field is required.
	Shape string
	// Number is true when the value arrived as a JSON number.
	Number bool
}

// UnmarshalJSON accepts any scalar. An object or an array is not misread
// as one: it leaves no value and is noted in Shape; an empty one ({} or
// []) is no value.
func (f *Flex) UnmarshalJSON(b []byte) error {
	r := reader{s: string(b)}
	r.flex(f)
	if r.end(); r.bad {
		return fmt.Errorf("saramin: %q is not one JSON value", b)
	}
	return nil
}

// MarshalJSON writes the value back as a string, or null.
func (f Flex) MarshalJSON() ([]byte, error) {
	if !f.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(f.S)
}

// String returns the text form ("" when missing).
func (f Flex) String() string { return f.S }

// Int parses the value as an integer.
func (f Flex) Int() (int64, bool) {
	s := strings.TrimSpace(f.S)
	if !f.Valid || s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		x, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
			return 0, false
		}
		return int64(x), true
	}
	return n, true
}

// Bool reads the value as a flag: true/false, or an integer (non-zero is
// true).
func (f Flex) Bool() (bool, bool) {
	if !f.Valid {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(f.S)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	n, ok := f.Int()
	return n != 0, ok
}

// utf8BOM is the byte-order mark some servers put before a UTF-8 body.
var utf8BOM = []byte("\xef\xbb\xbf")

// TrimBOM drops a UTF-8 byte-order mark from the start of an answer, which
// JSON does not allow and the API has been seen to send.
func TrimBOM(body []byte) []byte { return bytes.TrimPrefix(body, utf8BOM) }
