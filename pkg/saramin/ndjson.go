package saramin

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendNDJSON appends p as one line of JSON to dst: the object
// json.Marshal makes of a Posting (the same keys in the same order, the
// same omitted empty values and nulls, Extra compacted), written field by
// field, then a newline. HTML characters are not escaped, as the
// transformer's encoder never did.
func AppendNDJSON(dst []byte, p *Posting) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, p.ID)
	dst = appendOmit(dst, `,"url":`, p.URL)
	dst = append(dst, `,"active":`...)
	switch {
	case p.Active == nil:
		dst = append(dst, "null"...)
	case *p.Active:
		dst = append(dst, "true"...)
	default:
		dst = append(dst, "false"...)
	}
	dst = appendOmit(dst, `,"company_name":`, p.CompanyName)
	dst = appendOmit(dst, `,"company_href":`, p.CompanyHref)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, p.Title)
	dst = appendOmit(dst, `,"industry_code":`, p.IndustryCode)
	dst = appendOmit(dst, `,"industry_name":`, p.IndustryName)
	dst = appendList(dst, `,"location_codes":`, p.LocationCodes)
	dst = appendList(dst, `,"location_names":`, p.LocationNames)
	dst = appendList(dst, `,"job_type_codes":`, p.JobTypeCodes)
	dst = appendList(dst, `,"job_type_names":`, p.JobTypeNames)
	dst = appendList(dst, `,"job_mid_codes":`, p.JobMidCodes)
	dst = appendList(dst, `,"job_mid_names":`, p.JobMidNames)
	dst = appendList(dst, `,"job_codes":`, p.JobCodes)
	dst = appendList(dst, `,"job_code_names":`, p.JobCodeNames)
	dst = appendInt(dst, `,"experience_code":`, p.ExperienceCode)
	dst = appendInt(dst, `,"experience_min":`, p.ExperienceMin)
	dst = appendInt(dst, `,"experience_max":`, p.ExperienceMax)
	dst = appendOmit(dst, `,"experience_name":`, p.ExperienceName)
	dst = appendOmit(dst, `,"education_code":`, p.EducationCode)
	dst = appendOmit(dst, `,"education_name":`, p.EducationName)
	dst = appendList(dst, `,"keywords":`, p.Keywords)
	dst = appendOmit(dst, `,"salary_code":`, p.SalaryCode)
	dst = appendOmit(dst, `,"salary_name":`, p.SalaryName)
	dst = append(dst, `,"posted_at":`...)
	dst = appendTime(dst, p.PostedAt)
	dst = append(dst, `,"modified_at":`...)
	dst = appendTime(dst, p.ModifiedAt)
	dst = appendTimePtr(dst, `,"opening_at":`, p.OpeningAt)
	dst = appendTimePtr(dst, `,"expires_at":`, p.ExpiresAt)
	dst = appendOmit(dst, `,"close_type_code":`, p.CloseTypeCode)
	dst = appendOmit(dst, `,"close_type_name":`, p.CloseTypeName)
	dst = appendInt(dst, `,"read_count":`, p.ReadCount)
	dst = appendInt(dst, `,"apply_count":`, p.ApplyCount)
	dst = append(dst, `,"synthetic":`...)
	dst = strconv.AppendBool(dst, p.Synthetic)
	if len(p.Extra) > 0 {
		dst = append(dst, `,"extra":`...)
		dst = compact(dst, string(p.Extra))
	}
	dst = append(dst, `,"run_id":`...)
	dst = appendString(dst, p.RunID)
	dst = append(dst, `,"source_object":`...)
	dst = appendString(dst, p.SourceObject)
	dst = appendList(dst, `,"skills":`, p.Skills)
	return append(dst, '}', '\n')
}

// appendOmit appends key and s unless s is empty (omitempty).
func appendOmit(dst []byte, key, s string) []byte {
	if s == "" {
		return dst
	}
	return appendString(append(dst, key...), s)
}

// appendList appends key and the list, null when it is nil.
func appendList(dst []byte, key string, list []string) []byte {
	dst = append(dst, key...)
	if list == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

func appendInt(dst []byte, key string, n *int64) []byte {
	dst = append(dst, key...)
	if n == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, *n, 10)
}

// appendTime appends t as time.Time.MarshalJSON does: RFC 3339 with
// nanoseconds as needed, quoted. (Years outside 0-9999, which MarshalJSON
// refuses, never come out of readTime.)
func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}

func appendTimePtr(dst []byte, key string, t *time.Time) []byte {
	dst = append(dst, key...)
	if t == nil {
		return append(dst, "null"...)
	}
	return appendTime(dst, *t)
}

const hexDigits = "0123456789abcdef"

// escapeByte marks the ASCII bytes appendString escapes: quote,
// backslash and control characters.
var escapeByte = func() (t [utf8.RuneSelf]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// appendString appends s as a JSON string, escaped as encoding/json
// escapes without HTML escaping: quote, backslash and control characters,
// U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	if plainString(s) {
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !escapeByte[c] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		// Hangul and most other three-byte characters (not U+2028 or
		// U+2029, whose first byte is 0xE2), checked here; anything
		// else by runeLen.
		if 0xE3 <= c && c <= 0xEC && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		n := runeLen(s, i)
		switch {
		case n == 0:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			n = 1
		case n == 3 && c == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9): // U+2028, U+2029
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xF])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// plainString reports whether s is ASCII that needs no escape: no quote,
// backslash or control character (looked for eight bytes at a time).
func plainString(s string) bool {
	var high uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s, i)
		if special8(x) != 0 {
			return false
		}
		high |= x
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && escapeByte[c] {
			return false
		}
		high |= uint64(c)
	}
	// Not ASCII: appendString's loop checks the characters as it goes.
	return high&hi8 == 0
}
