// Package warehousetest holds what every warehouse.Warehouse implementation
// must do, as a test suite (RunContract), and the small fixtures it uses: an
// in-memory lake and NDJSON helpers.
package warehousetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/cert"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/skills"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends"
)

// Lake is an in-memory set of lake objects; it satisfies warehouse.Opener.
type Lake map[string][]byte

// Open returns the object's bytes, or an error wrapping fs.ErrNotExist.
func (l Lake) Open(_ context.Context, name string) (io.ReadCloser, error) {
	b, ok := l[name]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

// NDJSON encodes rows (postings, trend rows, certification stats) one per
// line, as the transformer writes them.
func NDJSON[T any](rows ...T) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			panic(fmt.Sprintf("warehousetest.NDJSON: %v", err)) // the row types always encode
		}
	}
	return buf.Bytes()
}

// TrendRow is a trend row of keyword for the week starting period, from a
// request comparing it with the anchor 데이터 분석 over window ("FROM TO").
func TrendRow(keyword, period, window string, interest int, scale float64) trends.Row {
	from, to, _ := strings.Cut(window, " ")
	kws := []string{"데이터 분석", keyword}
	return trends.Row{Keyword: keyword, Period: period, Resolution: "WEEK", Interest: interest, HasData: interest > 0,
		Scaled: float64(interest) * scale, Anchor: "데이터 분석", AnchorMean: 100 / scale, Scale: scale,
		RequestID: trends.RequestID(kws, "KR", window), RequestKeywords: strings.Join(kws, ", "), Geo: "KR",
		WindowFrom: from, WindowTo: to, FetchedAt: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), RunID: "r"}
}

// Stat is a written-exam statistic of exam for year, as Q-Net gives it.
func Stat(exam string, year, examinees, passers int) cert.Stat {
	return cert.Stat{Exam: exam, Stage: cert.StageWritten, Year: year, Applicants: examinees + 10, Examinees: examinees, Passers: passers,
		PassRate: cert.Rate(passers, examinees), Source: "https://example.invalid", Quality: cert.QualityOfficial, Origin: cert.OriginAPI}
}

// Lines joins raw NDJSON lines (for hand-written, drifting or broken rows).
func Lines(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

// Base is the modification time fixtures count from.
var Base = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

// Posting returns a fully populated posting with the given id, title and
// modification time, as the transformer would write it for run runID (its
// skills those the title names).
func Posting(id, title string, modified time.Time, runID string) saramin.Posting {
	yes := true
	n := func(v int64) *int64 { return &v }
	opening := modified.Add(-time.Hour)
	expires := modified.Add(30 * 24 * time.Hour)
	p := saramin.Posting{
		ID:             id,
		URL:            "https://" + saramin.SyntheticHost + "/zf_user/jobs/relay/view?rec_idx=" + id,
		Active:         &yes,
		CompanyName:    "(주)데이터컴퍼니",
		CompanyHref:    "https://" + saramin.SyntheticHost + "/company/" + id,
		Title:          title,
		IndustryCode:   "301",
		IndustryName:   "솔루션·SI·ERP·CRM",
		LocationCodes:  []string{"101010", "101020"},
		LocationNames:  []string{"서울 > 강남구", "서울 > 강동구"},
		JobTypeCodes:   []string{"1"},
		JobTypeNames:   []string{"정규직"},
		JobMidCodes:    []string{"2"},
		JobMidNames:    []string{"IT개발·데이터"},
		JobCodes:       []string{"84", "87"},
		JobCodeNames:   []string{"데이터엔지니어", "빅데이터", "ETL"},
		ExperienceCode: n(1),
		ExperienceMin:  n(0),
		ExperienceMax:  n(0),
		ExperienceName: "신입",
		EducationCode:  "7",
		EducationName:  "대학교졸업(4년)이상",
		Keywords:       []string{},
		SalaryCode:     "99",
		SalaryName:     "면접후 결정",
		PostedAt:       modified.Add(-2 * time.Hour),
		ModifiedAt:     modified,
		OpeningAt:      &opening,
		ExpiresAt:      &expires,
		CloseTypeCode:  "1",
		CloseTypeName:  "접수마감일",
		ReadCount:      n(120),
		ApplyCount:     n(7),
		Synthetic:      true,
		Extra:          json.RawMessage(`{"position.new-field":{"code":"9"}}`),
		RunID:          runID,
		SourceObject:   "raw/" + string(source.Saramin) + "/" + runID + "/page-0001.json",
	}
	p.Skills = skills.Default().Match(slices.Concat([]string{p.Title}, p.Keywords, p.JobCodeNames)...)
	return p
}
