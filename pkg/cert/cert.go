// Package cert holds certification exam statistics for data careers
// (빅데이터분석기사, ADsP, ADP, SQLD, SQLP, 정보처리기사): the data set the
// operator maintains as a versioned CSV file embedded in the binary
// (data/certifications.csv, every row naming its source), and a client for
// HRD Korea's Q-Net statistics API (see client.go).
//
// Certifications arrive as a whole data set: a caller loads the file and
// the API answers, validates them, and replaces the previous set only when
// everything succeeded.
package cert

import (
	"bufio"
	"bytes"
	"cmp"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

//go:embed data/certifications.csv
var dataFS embed.FS

// Stages of an exam. StageAll is the whole exam (e.g. ADsP, written only).
const (
	StageWritten   = "필기"
	StagePractical = "실기"
	StageAll       = ""
)

// Quality of a data set row.
const (
	QualityOfficial   = "official"
	QualityUnverified = "unverified"
)

// Stat is the statistics of one exam stage in one year or round: the clean
// row the transformer writes and the warehouse loads.
type Stat struct {
	Exam  string `json:"exam"`  // e.g. "정보처리기사", "ADsP"
	JmCd  string `json:"jmcd"`  // Q-Net item code when known ("1320" for 정보처리기사)
	Stage string `json:"stage"` // StageWritten, StagePractical or StageAll
	Year  int    `json:"year"`
	Round int    `json:"round"` // 0: the whole year
	// Applicants (접수), Examinees (응시) and Passers (합격). Applicants 0
	// means not published (the source gives only examinees and passers).
	Applicants int     `json:"applicants"`
	Examinees  int     `json:"examinees"`
	Passers    int     `json:"passers"`
	PassRate   float64 `json:"pass_rate"` // percent, 0-100
	Source     string  `json:"source"`    // URL the figures come from (never holds a key)
	Quality    string  `json:"quality"`   // QualityOfficial or QualityUnverified
	Note       string  `json:"note,omitempty"`
	// Synthetic is true for the emulator's made-up figures.
	Synthetic bool `json:"synthetic"`
	// Origin is OriginAPI or OriginDataSet.
	Origin string `json:"origin"`
}

// Origins of a Stat.
const (
	OriginAPI     = "qnet"
	OriginDataSet = "dataset"
)

// Key identifies a Stat within a data set.
func (s Stat) Key() string { return fmt.Sprintf("%s|%s|%d|%d", s.Exam, s.Stage, s.Year, s.Round) }

// ErrInvalid marks a Stat or data set row that fails validation.
var ErrInvalid = errors.New("cert: invalid statistics")

// Validate checks passers <= examinees <= applicants (when published) and
// that PassRate is passers/examinees within rounding (0.05 points plus a
// little, since sources print one decimal).
func (s Stat) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s %s %d round %d: %s", ErrInvalid, s.Exam, s.Stage, s.Year, s.Round, fmt.Sprintf(format, a...))
	}
	switch {
	case strings.TrimSpace(s.Exam) == "":
		return bad("no exam name")
	case s.Year < 1970 || s.Year > 2100:
		return bad("year %d", s.Year)
	case s.Round < 0:
		return bad("round %d", s.Round)
	case s.Applicants < 0 || s.Examinees < 0 || s.Passers < 0:
		return bad("negative count")
	case s.Passers > s.Examinees:
		return bad("passers %d > examinees %d", s.Passers, s.Examinees)
	case s.Applicants > 0 && s.Examinees > s.Applicants:
		return bad("examinees %d > applicants %d", s.Examinees, s.Applicants)
	case s.PassRate < 0 || s.PassRate > 100:
		return bad("pass rate %v", s.PassRate)
	}
	if s.Examinees > 0 {
		want := 100 * float64(s.Passers) / float64(s.Examinees)
		if math.Abs(want-s.PassRate) > 0.051 {
			return bad("pass rate %v, passers/examinees gives %.2f", s.PassRate, want)
		}
	} else if s.PassRate != 0 {
		return bad("pass rate %v without examinees", s.PassRate)
	}
	return nil
}

// Rate is 100*passers/examinees rounded to one decimal, 0 without examinees.
func Rate(passers, examinees int) float64 {
	if examinees <= 0 {
		return 0
	}
	return math.Round(1000*float64(passers)/float64(examinees)) / 10
}

// DataSetFile is the embedded file's name.
const DataSetFile = "data/certifications.csv"

// LoadDataSet reads and validates the embedded data set.
func LoadDataSet() ([]Stat, error) {
	b, err := dataFS.ReadFile(DataSetFile)
	if err != nil {
		return nil, fmt.Errorf("cert.LoadDataSet: %w", err)
	}
	s, _, err := ParseDataSet(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("cert.LoadDataSet %s: %w", DataSetFile, err)
	}
	return s, nil
}

// DataSetVersion is the "# version:" line of the embedded file.
func DataSetVersion() string {
	b, _ := dataFS.ReadFile(DataSetFile)
	_, v, _ := ParseDataSet(bytes.NewReader(b))
	return v
}

var header = []string{"exam", "stage", "year", "round", "applicants", "examinees", "passers", "pass_rate", "source", "quality", "note"}

// ParseDataSet reads a data set in the format of data/certifications.csv
// and validates every row; it returns the rows and the version line. Any
// bad row fails the whole set (the set is replaced as a whole or not at all).
func ParseDataSet(r io.Reader) ([]Stat, string, error) {
	// '#' lines come first; keep the version, hand the rest to csv.
	br := bufio.NewReader(r)
	var version string
	var rest bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(t, "#")), "version:"); ok {
				version = strings.TrimSpace(v)
			}
		} else {
			rest.WriteString(line)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", err
		}
	}
	cr := csv.NewReader(&rest)
	cr.FieldsPerRecord = len(header)
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, version, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(header, ",") {
		return nil, version, fmt.Errorf("%w: header must be %s", ErrInvalid, strings.Join(header, ","))
	}
	if version == "" {
		return nil, version, fmt.Errorf("%w: no '# version:' line", ErrInvalid)
	}
	seen := map[string]int{}
	var out []Stat
	for i, rec := range recs[1:] {
		line := i + 2
		s, err := parseRow(rec)
		if err == nil {
			err = s.Validate()
		}
		if err == nil && !strings.HasPrefix(s.Source, "http") {
			err = fmt.Errorf("%w: source %q is not a URL", ErrInvalid, s.Source)
		}
		if err == nil && s.Quality != QualityOfficial && s.Quality != QualityUnverified {
			err = fmt.Errorf("%w: quality %q", ErrInvalid, s.Quality)
		}
		if err != nil {
			return nil, version, fmt.Errorf("row %d: %w", line, err)
		}
		s.Origin = OriginDataSet
		k := s.Key()
		if prev, dup := seen[k]; dup {
			return nil, version, fmt.Errorf("row %d: %w: duplicates row %d", line, ErrInvalid, prev)
		}
		seen[k] = line
		out = append(out, s)
	}
	return out, version, nil
}

func parseRow(rec []string) (Stat, error) {
	s := Stat{Exam: strings.TrimSpace(rec[0]), Stage: strings.TrimSpace(rec[1]), Source: strings.TrimSpace(rec[8]),
		Quality: strings.TrimSpace(rec[9]), Note: strings.TrimSpace(rec[10])}
	if s.Stage != StageWritten && s.Stage != StagePractical && s.Stage != StageAll {
		return s, fmt.Errorf("%w: stage %q", ErrInvalid, s.Stage)
	}
	ints := []*int{&s.Year, &s.Round, &s.Applicants, &s.Examinees, &s.Passers}
	for j, p := range ints {
		v := strings.ReplaceAll(strings.TrimSpace(rec[2+j]), ",", "")
		if v == "" && j >= 2 && j != 3 && j != 4 { // only applicants may be empty
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return s, fmt.Errorf("%w: column %s: %q", ErrInvalid, header[2+j], rec[2+j])
		}
		*p = n
	}
	rate, err := strconv.ParseFloat(strings.TrimSpace(rec[7]), 64)
	if err != nil {
		return s, fmt.Errorf("%w: pass_rate %q", ErrInvalid, rec[7])
	}
	s.PassRate = rate
	if s.Exam == "정보처리기사" {
		s.JmCd = "1320"
	}
	return s, nil
}

// Merge builds the whole data set from the API's statistics and the
// operator's rows: the API's figures win where both give the same exam,
// stage, year and round; the operator's rows fill what the API does not
// cover (exams without a Q-Net code). The result is sorted by exam, stage,
// year and round.
func Merge(api, dataSet []Stat) []Stat {
	byKey := map[string]Stat{}
	for _, s := range dataSet {
		byKey[s.Key()] = s
	}
	for _, s := range api {
		byKey[s.Key()] = s
	}
	out := make([]Stat, 0, len(byKey))
	for _, s := range byKey {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Stat) int {
		return cmp.Or(strings.Compare(a.Exam, b.Exam), strings.Compare(a.Stage, b.Stage), cmp.Compare(a.Year, b.Year), cmp.Compare(a.Round, b.Round))
	})
	return out
}

// DataSetBytes is the embedded data set file as shipped.
func DataSetBytes() []byte {
	b, _ := dataFS.ReadFile(DataSetFile)
	return b
}
