package warehouse

// ExperienceLevel is one level of experience a posting asks for: the
// Saramin code table's four levels (pkg/saramin/codes/data/experience.csv:
// 0 경력무관, 1 신입, 2 경력, 3 신입/경력), with 경력 split by the minimum
// years the posting asks (experience_min), as the API prints it
// ("경력 3~5년", "경력5년↑").
type ExperienceLevel struct {
	Key string `json:"key"` // as ExperienceSQL and Experience name it
	Ko  string `json:"ko"`  // display names
	En  string `json:"en"`
}

// experienceLevels is the display order: from no experience up, then 경력무관.
var experienceLevels = []ExperienceLevel{
	{"entry", "신입", "Newcomer"},
	{"entry_or_experienced", "신입·경력", "Newcomer or experienced"},
	{"experienced_lt3", "경력 3년 미만", "Experienced, under 3 years"},
	{"experienced_3_5", "경력 3~4년", "Experienced, 3-4 years"},
	{"experienced_5_10", "경력 5~9년", "Experienced, 5-9 years"},
	{"experienced_10", "경력 10년 이상", "Experienced, 10+ years"},
	{"any", "경력무관", "Any experience"},
}

// ExperienceLevels lists the levels in display order.
func ExperienceLevels() []ExperienceLevel {
	out := make([]ExperienceLevel, len(experienceLevels))
	copy(out, experienceLevels)
	return out
}

// Experience is the level key of a posting's experience code and minimum
// years; "" for a code the table does not hold (or none).
func Experience(code, minYears *int64) string {
	if code == nil {
		return ""
	}
	switch *code {
	case 0:
		return "any"
	case 1:
		return "entry"
	case 3:
		return "entry_or_experienced"
	case 2:
		switch m := minYears; {
		case m == nil || *m < 3:
			return "experienced_lt3"
		case *m < 5:
			return "experienced_3_5"
		case *m < 10:
			return "experienced_5_10"
		}
		return "experienced_10"
	}
	return ""
}

// ExperienceSQL is Experience written as a SQL expression over a
// core.recruit row (experience_code, experience_min), in a form DuckDB and
// GoogleSQL both accept.
const ExperienceSQL = `CASE experience_code
  WHEN 0 THEN 'any' WHEN 1 THEN 'entry' WHEN 3 THEN 'entry_or_experienced'
  WHEN 2 THEN CASE WHEN experience_min IS NULL OR experience_min < 3 THEN 'experienced_lt3'
                   WHEN experience_min < 5 THEN 'experienced_3_5'
                   WHEN experience_min < 10 THEN 'experienced_5_10'
                   ELSE 'experienced_10' END
  ELSE '' END`
