package warehouse

import (
	"context"
	"errors"
	"time"
)

// PostingReader reads pages of postings from the warehouse itself: the
// dashboard's grid of postings asks it for each page. It does not keep a
// per-posting index in the dashboard's memory: at 1,000,000 postings such
// an index (titles and company names, codes and numbers) takes some 220 MB
// of heap on top of the snapshot's, which `make bench` measures
// (BenchmarkPostings).
type PostingReader interface {
	// Postings reads the page q asks for and how many postings match.
	Postings(ctx context.Context, q PostingQuery) (PostingPage, error)
}

// ErrWarehouseBusy is a read refused because the loader holds the
// warehouse (DuckDB admits one writer or several readers, never both):
// the dashboard answers it with a 503.
var ErrWarehouseBusy = errors.New("the warehouse is being loaded, try again in a moment")

// PostingQuery narrows, orders and pages the postings of core.recruit.
// Zero values mean "any". Every value reaches the SQL as a parameter.
type PostingQuery struct {
	// Role is a data role, a comparison group or "other" (RoleSQL); ""
	// for every posting.
	Role string
	// Entry keeps the postings open to newcomers (is_entry_level).
	Entry bool
	// Province keeps the postings listing a region in it (provinces).
	Province string
	// District keeps the postings listing it, as "서울 > 강남구".
	District string
	// Industry is the industry category, IndustryDetail the industry
	// (industry_name).
	Industry, IndustryDetail string
	// Experience is an ExperienceLevels key (ExperienceSQL).
	Experience string
	// From and To bound the KST day of posting, both included.
	From, To time.Time
	// Text keeps the postings whose title or company name contains it,
	// compared in lower case, or that ask for one of Skills (canonical
	// names, package skills: those the text names, in Korean or English).
	// Skills apply only with Text.
	Text   string
	Skills []string
	// Sort orders the page (PostingSorts; "" is SortPosted).
	Sort string
	// AsOf is the KST day an open posting's days open are counted to
	// (the warehouse's newest load).
	AsOf time.Time
	// Offset and Limit select the page (Limit at most MaxPageSize).
	Offset, Limit int
}

// MaxPageSize is the largest page a PostingQuery may ask for.
const MaxPageSize = 100

// The orders of a page of postings. Each breaks ties by id, so that
// pages never share a posting.
const (
	SortPosted       = "posted"        // newest first
	SortDeadline     = "deadline"      // open postings first, soonest deadline first; no real deadline last
	SortViews        = "views"         // most read first
	SortApplications = "applications"  // most applied to first
	SortViewsPerDay  = "views_per_day" // most read per day open first
)

// PostingSorts lists the orders, the default first.
func PostingSorts() []string {
	return []string{SortPosted, SortDeadline, SortViews, SortApplications, SortViewsPerDay}
}

// PostingPage is one page of postings and how many match in all.
type PostingPage struct {
	Total int64
	Rows  []PostingRow
}

// PostingRow is one posting as the grid shows it.
type PostingRow struct {
	ID, Company, Title string
	Regions            []string // as listed: "서울 > 강남구"
	Experience         string   // an ExperienceLevels key ("" unknown)
	SalaryBand         string
	// Deadline is the posting's closing time, nil when it has none: close
	// types 2 (채용시), 3 (상시채용) and 4 (수시채용) carry a placeholder
	// years ahead, not a deadline. CloseType names the close type.
	Deadline  *time.Time
	CloseType string
	Views     int64 // read_count as last seen
	Apps      int64 // apply_count as last seen
	Posted    time.Time
	Open      bool
	// DaysOpen counts the KST days from posting to closing (to AsOf while
	// open), at least 1; ViewsPerDay is Views / DaysOpen.
	DaysOpen    int64
	ViewsPerDay float64
	URL         string
	Synthetic   bool // the emulator's posting (its URL is on saramin.SyntheticHost)
}

// RoleSQL is a core.recruit row's role as the dashboard names it: its
// data role, else its comparison group of other IT work (it_group), else
// "other".
const RoleSQL = `coalesce(role, it_group, 'other')`

// DeadlineSQL is a core.recruit row's real deadline: expires_at, NULL
// for close types 2, 3 and 4 (their expiration is a placeholder years
// ahead, as LifetimeEndSQL reads it too).
const DeadlineSQL = `CASE WHEN close_type_code IN ('2', '3', '4') THEN NULL ELSE expires_at END`
