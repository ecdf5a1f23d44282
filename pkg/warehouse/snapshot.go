package warehouse

import (
	"context"
	"time"
)

// Snapshot is what the dashboard shows of the warehouse, aggregated so
// that it fits in a process's memory: new postings per KST day by role,
// entry level, region (each region listed) and industry; skills per day by
// role, entry level, province (the first listed) and industry; open
// postings per day by role; how long postings stayed open; the
// indicators; and how fresh each source is. Both warehouses read it with
// their own SQL (the dashboard image carries no DuckDB), and the dashboard
// answers every request from it.
type Snapshot struct {
	Detail []DetailRow
	Skills []SkillRow
	Open   []OpenRow // core.open_postings_daily, role "all" included
	Trends []TrendRow
	Certs  []CertRow
	// Postings counts core.recruit; Synthetic says whether any of them is
	// synthetic sample data.
	Postings  int64
	Synthetic bool
	// Loaded is each source's newest load ("saramin", "trends", "cert").
	Loaded map[string]time.Time
	// Clock is the warehouse's clock: the newest as_of of its loads of
	// postings, the moment open and closed are judged at (else the newest
	// load, else the newest time a posting was seen; zero for none), as
	// the lifetime rows count days open to. It lags Loaded["saramin"] when
	// loads ran late or backfilled.
	Clock time.Time

	// Lifetime counts the postings by how long they stayed open and how
	// they ended.
	Lifetime []LifetimeRow
}

// DetailRow counts, for the postings first posted on one KST day with the
// same role (the data role, else the comparison group of other IT work,
// else "other"), entry level, experience level, industry category and
// industry, the postings that list one region (province and
// district, split from its full name "서울 > 강남구"; "" when the posting
// lists none). A posting listing several regions is counted in each, once
// per distinct region: Primary marks the row of its first region (summing
// the Primary rows counts each posting once), ProvinceFirst the row of its
// first region in that province (summing the rows of one province with
// ProvinceFirst counts each posting listing that province once).
type DetailRow struct {
	Date           time.Time
	Role           string
	Entry          bool
	Province       string
	District       string
	Industry       string
	IndustryDetail string
	Primary        bool
	ProvinceFirst  bool
	Experience     string // the level asked (ExperienceLevels' keys; "" unknown)
	Postings       int64
}

// SkillRow counts the postings first posted on one KST day with the same
// role, entry level, experience level, province and industry category (as
// DetailRow has them) that ask for a skill (its canonical name, package skills).
type SkillRow struct {
	Date       time.Time
	Role       string
	Entry      bool
	Province   string
	Industry   string
	Skill      string
	Experience string
	Postings   int64
}

// OpenRow is the number of postings of a role open at the end of a day.
type OpenRow struct {
	Date time.Time
	Role string
	Open int64
}

// LifetimeRow counts the postings first posted on one KST day with the
// same role (as DetailRow has it), entry level, province (the first
// listed), industry category and experience level (ExperienceSQL's key)
// that stayed open the same number of days and ended the same way.
// Days counts KST calendar days from the posting day to the day it closed
// or, for a posting still open, to the warehouse clock's day (the newest
// load's as_of, as open_postings_daily counts to): such a posting is
// censored, not ended. Ended is LifetimeEndSQL's answer.
type LifetimeRow struct {
	Date       time.Time
	Role       string
	Entry      bool
	Province   string
	Industry   string
	Experience string
	Days       int64
	Ended      string
	Postings   int64
}

// TrendRow is one period of a keyword's search interest (anchor-scaled;
// nil where Google Trends had no data), with the anchor keyword its
// request was scaled on ("" where the warehouse does not say).
type TrendRow struct {
	Keyword  string
	Period   time.Time
	Interest *float64
	Partial  bool
	Anchor   string
}

// CertRow is one round of one stage (필기, 실기 or 전체) of an exam, as
// core.certification holds it: applicants (접수자), examinees (응시자) and
// passers (합격자), nil where not published; the pass rate in percent
// (passers / examinees); the page the figures come from and its quality
// (official or unverified).
type CertRow struct {
	Exam       string
	Stage      string
	Year       int
	Round      int // 0: the whole year
	Applicants *int64
	Examinees  *int64
	Passers    *int64
	PassRate   *float64
	Quality    string
	Source     string
	Synthetic  bool
}

// Snapshotter is a warehouse the dashboard can show.
type Snapshotter interface {
	// Version identifies the warehouse's current contents: a snapshot is
	// read again when it changes.
	Version(ctx context.Context) (string, error)
	// Snapshot reads the dashboard's aggregates.
	Snapshot(ctx context.Context) (*Snapshot, error)
}
