package warehouse

import (
	"context"
	"strings"
	"time"

	"jobpulse/pkg/source"
)

// Snapshot is what the dashboard shows of the warehouse besides its
// postings: open postings per day by role, the indicators, and how fresh
// each source is. The postings themselves are not held here: the
// warehouse passes them to the reader one at a time (SnapshotPosting), so
// that the dashboard keeps them in its own compact form and no row per
// posting is held twice. Both warehouses read it with their own SQL (the
// dashboard image carries no DuckDB), and the dashboard answers every
// request from it.
type Snapshot struct {
	Open   []OpenRow // core.open_postings_daily, role "all" included
	Trends []TrendRow
	Certs  []CertRow
	// Postings counts core.recruit; Synthetic says whether any of them is
	// synthetic sample data.
	Postings  int64
	Synthetic bool
	// Loaded is each source's newest load.
	Loaded map[source.Source]time.Time
	// Clock is the warehouse's clock: the newest as_of of its loads of
	// postings, the moment open and closed are judged at (else the newest
	// load, else the newest time a posting was seen; zero for none), as
	// SnapshotPosting.Days counts days open to. It lags Loaded[source.Saramin]
	// when loads ran late or backfilled.
	Clock time.Time
}

// SnapshotPosting is one posting of core.recruit with a posting day, as
// the dashboard counts it: by the day, its role (the data role, else the
// comparison group of other IT work, else "other"), entry level,
// experience level, province (the first listed), industry category and
// industry, the regions it lists and the skills it asks, and how long it
// stayed open and how it ended.
type SnapshotPosting struct {
	Date           time.Time // the KST posting day (UTC midnight)
	Role           string
	Entry          bool
	Province       string // core.recruit.province ("" none)
	Industry       string // its category ("" none)
	IndustryDetail string // the industry ("" none)
	Experience     string // the level asked (ExperienceLevels' keys; "" unknown)
	// Regions are the regions the posting lists, each distinct one once in
	// the order listed (SplitRegion); one region, its Province and no
	// district, when it lists none.
	Regions []Region
	// Skills are the skills it asks (their canonical names, package
	// skills), as listed.
	Skills []string
	// Days counts KST calendar days from the posting day to the day it
	// closed or, for a posting still open, to the warehouse clock's day
	// (Snapshot.Clock's): such a posting is censored, not ended. Ended is
	// LifetimeEndSQL's answer.
	Days  int64
	Ended string
}

// Region is a region a posting lists: its province and district, split
// from the full name ("서울 > 강남구").
type Region struct{ Province, District string }

// SplitRegion splits a region's full name as the snapshot's SQL did: a
// name with " > " is its first part (the province) and its second (the
// district); another name is neither ("", "").
func SplitRegion(name string) Region {
	prov, rest, ok := strings.Cut(name, " > ")
	if !ok {
		return Region{}
	}
	dist, _, _ := strings.Cut(rest, " > ")
	return Region{Province: prov, District: dist}
}

// PostingSink receives a snapshot's postings, ordered by Date, as the
// warehouse reads them.
type PostingSink interface {
	// Expect says about how many postings, regions (at least one a
	// posting) and skills are coming, before the first, so that the sink
	// makes room for them at once; 0 where the warehouse does not know.
	Expect(postings, regions, skills int)
	// Posting receives one posting. p and its slices are the reader's to
	// reuse: a sink keeps what it needs, not p. An error stops the read.
	Posting(p *SnapshotPosting) error
}

// PostingFunc is a PostingSink that calls itself for each posting.
type PostingFunc func(p *SnapshotPosting) error

// Expect does nothing.
func (PostingFunc) Expect(int, int, int) {}

// Posting calls f.
func (f PostingFunc) Posting(p *SnapshotPosting) error { return f(p) }

// OpenRow is the number of postings of a role open at the end of a day.
type OpenRow struct {
	Date time.Time
	Role string
	Open int64
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
	// Snapshot reads the dashboard's aggregates, passing each posting to
	// sink as it reads it. A failed read may have passed some postings.
	Snapshot(ctx context.Context, sink PostingSink) (*Snapshot, error)
}
