package saramin

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unsafe"
)

// The field names of each level, folded, for a member whose name matches
// one only case-insensitively (encoding/json's rule, which the API's
// answers were read with before): it is read into that field and, not
// being the API's own spelling, also kept in Extra.
var (
	topFields = fieldNames("url", "active", "company", "position", "keyword", "salary", "id",
		"posting-timestamp", "posting-date", "modification-timestamp", "opening-timestamp",
		"expiration-timestamp", "expiration-date", "close-type", "read-cnt", "apply-cnt")
	positionFields = fieldNames("title", "industry", "location", "job-type", "job-mid-code", "job-code",
		"experience-level", "required-education-level")
	codeNameFields   = fieldNames("code", "name")
	experienceFields = fieldNames("code", "min", "max", "name")
	companyFields    = fieldNames("detail")
	detailFields     = fieldNames("href", "name")
	responseFields   = fieldNames("jobs")
	jobsFields       = fieldNames("count", "start", "total", "job")
)

// How encoding/json named the values that could not be read into the
// wire types, for the reasons records are set aside with.
const (
	inJob      = "Go value of type saramin.Job"
	inPosition = "Go struct field Job.position of type saramin.Position"
	inDetail   = `Go struct field Job.company.detail of type struct { Href saramin.Flex "json:\"href\""; Name saramin.Flex "json:\"name\"" }`
)

// extras collects the members of a record that the wire types do not
// know, at the top level and under position.
type extras struct {
	fields []extra
}

type extra struct {
	name, value string // value: the JSON text as sent
	// position is true for a member of the position object: it wins over
	// a top-level member with the same dotted name.
	position bool
}

// dropPosition forgets the position members kept so far: a later
// "position" replaces them.
func (x *extras) dropPosition() {
	x.fields = slices.DeleteFunc(x.fields, func(e extra) bool { return e.position })
}

// sorted returns the names and values in name order, each name once, its
// last value winning.
func (x *extras) sorted() []extra {
	if len(x.fields) == 0 {
		return nil
	}
	f := x.fields
	slices.SortStableFunc(f, func(a, b extra) int {
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		switch {
		case a.position == b.position:
			return 0
		case b.position:
			return -1
		}
		return 1
	})
	out := f[:0]
	for i, e := range f {
		if i+1 < len(f) && f[i+1].name == e.name {
			continue
		}
		out = append(out, e)
	}
	return out
}

// object encodes the fields as one JSON object, values compacted.
func extraObject(fields []extra) json.RawMessage {
	b := []byte{'{'}
	for i, e := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, e.name)
		b = append(b, ':')
		b = compact(b, e.value)
	}
	return append(b, '}')
}

// job reads one record into j and its unknown members into x. It returns
// the value that could not be read into the wire types (a record that is
// not an object, a position or company detail that is not one), in
// encoding/json's words, having read the whole record regardless. As with
// encoding/json, a company detail's error wins (it was returned by
// Company's UnmarshalJSON, which ended the decoding), then the first
// other one.
func (r *reader) job(j *Job, x *extras) error {
	var err, detailErr error
	if !r.objectOrErr(&err, inJob) {
		return err
	}
	for first := true; r.more('}', first); first = false {
		k := r.key()
		r.peek()
		start := r.i
		name, exact := k, true
	again:
		switch name {
		case "url":
			r.flex(&j.URL)
		case "active":
			r.flex(&j.Active)
		case "company":
			r.company(&j.Company, &detailErr)
		case "position":
			if exact {
				x.dropPosition()
			}
			r.position(&j.Position, &err, x, exact)
		case "keyword":
			r.flex(&j.Keyword)
		case "salary":
			r.codeName(&j.Salary)
		case "id":
			r.flex(&j.ID)
		case "posting-timestamp":
			r.flex(&j.PostingTimestamp)
		case "posting-date":
			r.flex(&j.PostingDate)
		case "modification-timestamp":
			r.flex(&j.ModificationTimestamp)
		case "opening-timestamp":
			r.flex(&j.OpeningTimestamp)
		case "expiration-timestamp":
			r.flex(&j.ExpirationTimestamp)
		case "expiration-date":
			r.flex(&j.ExpirationDate)
		case "close-type":
			r.codeName(&j.CloseType)
		case "read-cnt":
			r.flex(&j.ReadCnt)
		case "apply-cnt":
			r.flex(&j.ApplyCnt)
		default:
			if exact {
				exact = false
				if name = foldedField(k, topFields); name != "" {
					goto again
				}
			}
			r.skip()
		}
		if !exact {
			x.fields = append(x.fields, extra{name: k, value: r.s[start:r.i]})
		}
	}
	if detailErr != nil {
		return detailErr
	}
	return err
}

// position reads the position object into p. With kept (the member was
// named "position" exactly) its unknown members go to x as
// "position.<name>", and so does a job-category that is not empty.
func (r *reader) position(p *Position, err *error, x *extras, kept bool) {
	if !r.objectOrErr(err, inPosition) {
		return
	}
	for first := true; r.more('}', first); first = false {
		k := r.key()
		r.peek()
		start := r.i
		name, exact := k, true
	again:
		switch name {
		case "title":
			r.flex(&p.Title)
		case "industry":
			r.codeName(&p.Industry)
		case "location":
			r.codeName(&p.Location)
		case "job-type":
			r.codeName(&p.JobType)
		case "job-mid-code":
			r.codeName(&p.JobMidCode)
		case "job-code":
			r.codeName(&p.JobCode)
		case "experience-level":
			r.experience(&p.ExperienceLevel)
		case "required-education-level":
			r.codeName(&p.EducationLevel)
		case "job-category":
			if exact && r.raw() == "{}" {
				// Empty, as the API sends it: not kept, even if an
				// earlier one was (the last of the same name wins).
				if kept {
					x.fields = slices.DeleteFunc(x.fields, func(e extra) bool { return e.position && e.name == "position.job-category" })
				}
				continue
			}
			exact = false
		default:
			if exact {
				exact = false
				if name = foldedField(k, positionFields); name != "" {
					goto again
				}
			}
			r.skip()
		}
		if !exact && kept {
			x.fields = append(x.fields, extra{name: "position." + k, value: r.s[start:r.i], position: true})
		}
	}
}

// codeName reads a {code, name} pair into c, tolerating another shape.
func (r *reader) codeName(c *CodeName) {
	if !r.objectOr(&c.Shape) {
		return
	}
	for first := true; r.more('}', first); first = false {
		k := r.key()
		if k != "code" && k != "name" {
			k = foldedField(k, codeNameFields)
		}
		switch k {
		case "code":
			r.flex(&c.Code)
		case "name":
			r.flex(&c.Name)
		default:
			r.skip()
		}
	}
}

// experience reads the experience-level object into e, tolerating
// another shape.
func (r *reader) experience(e *Experience) {
	if !r.objectOr(&e.Shape) {
		return
	}
	for first := true; r.more('}', first); first = false {
		k := r.key()
		switch k {
		case "code", "min", "max", "name":
		default:
			k = foldedField(k, experienceFields)
		}
		switch k {
		case "code":
			r.flex(&e.Code)
		case "min":
			r.flex(&e.Min)
		case "max":
			r.flex(&e.Max)
		case "name":
			r.flex(&e.Name)
		default:
			r.skip()
		}
	}
}

// company reads the company object into c, tolerating another shape
// (but not for its detail).
func (r *reader) company(c *Company, err *error) {
	if !r.objectOr(&c.Shape) {
		return
	}
	for first := true; r.more('}', first); first = false {
		if k := r.key(); k != "detail" && foldedField(k, companyFields) == "" {
			r.skip()
			continue
		}
		if !r.objectOrErr(err, inDetail) {
			continue
		}
		for first := true; r.more('}', first); first = false {
			k := r.key()
			if k != "href" && k != "name" {
				k = foldedField(k, detailFields)
			}
			switch k {
			case "href":
				r.flex(&c.Detail.Href)
			case "name":
				r.flex(&c.Detail.Name)
			default:
				r.skip()
			}
		}
	}
}

// posting reads one record and makes it a Posting.
func (r *reader) posting() (Posting, error) {
	var j Job
	var x extras
	if err := r.job(&j, &x); err != nil {
		return Posting{}, fmt.Errorf("%w: %v", ErrRecord, err)
	}
	return j.posting(x.sorted())
}

// ReadPage reads one answer of the API in one pass: its envelope, and
// each of its postings as ParseJob would (job gets the posting's index,
// its JSON text, and the Posting or the reason it was not understood,
// wrapping ErrRecord). start is called before the first posting of a job
// list: when an answer holds two, the last wins, and the caller forgets
// what it had from the first. A UTF-8 byte-order mark before the answer
// is dropped. When the answer as a whole is not readable (not JSON, or
// its envelope in another shape), ReadPage returns encoding/json's error
// and whatever job was called with is to be forgotten.
//
// The strings job gets (raw, and the Posting's) point into body, which is
// read in place rather than copied: body must not change until ReadPage
// returns, and job must copy whatever it keeps after it returns.
func ReadPage(body []byte, start func(), job func(i int, raw string, p *Posting, err error)) error {
	body = TrimBOM(body)
	r := reader{s: unsafe.String(unsafe.SliceData(body), len(body))}
	envelope := r.page(start, job)
	if r.end(); r.bad || !envelope {
		var resp Response
		if err := json.Unmarshal(body, &resp); err != nil {
			return err
		}
		return errors.New("saramin: the answer is not JSON")
	}
	return nil
}

// page reads the answer's envelope, reading the postings as they come. It
// returns false when the envelope is in another shape than Response.
func (r *reader) page(start func(), job func(i int, raw string, p *Posting, err error)) bool {
	var err error
	if !r.objectOrErr(&err, "") {
		return err == nil
	}
	for first := true; r.more('}', first); first = false {
		if k := r.key(); k != "jobs" && foldedField(k, responseFields) == "" {
			r.skip()
			continue
		}
		if !r.objectOrErr(&err, "") {
			continue
		}
		for first := true; r.more('}', first); first = false {
			if k := r.key(); k != "job" && foldedField(k, jobsFields) != "job" {
				r.skip() // count, start and total read as Flex: any value
				continue
			}
			switch r.peek() {
			case '[':
				start()
				r.open()
				var p Posting
				for i := 0; r.more(']', i == 0); i++ {
					r.peek()
					from := r.i
					var perr error
					p, perr = r.posting()
					if r.bad {
						break
					}
					job(i, r.s[from:r.i], &p, perr)
				}
			case 'n':
				r.literal("null")
				start()
			default:
				r.skip()
				err = ErrRecord
			}
		}
	}
	return err == nil
}
