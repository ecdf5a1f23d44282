package warehouse

// How a posting's time open ended, as LifetimeEndSQL names it.
const (
	// EndedEarly: closed before its deadline (expires_at).
	EndedEarly = "closed_early"
	// EndedExpired: closed at or after its deadline; a posting whose
	// deadline passes by the warehouse clock is closed at it
	// (close_expired.sql).
	EndedExpired = "expired"
	// EndedClosed: closed, with no deadline to compare: none given, or a
	// placeholder (close types 2 채용시, 3 상시채용 and 4 수시채용 carry an
	// expiration years ahead, 2033 in the API's sample, not a deadline).
	EndedClosed = "closed"
	// EndedOpen: still open at the warehouse clock, censored.
	EndedOpen = "open"
)

// Ends lists the ways a posting's time open ends, in display order.
func Ends() []string { return []string{EndedEarly, EndedExpired, EndedClosed, EndedOpen} }

// LifetimeEndSQL is how a core.recruit row's time open ended (one of the
// Ended* names), as a SQL expression over closed_at, expires_at and
// close_type_code that DuckDB and GoogleSQL both accept.
const LifetimeEndSQL = `CASE WHEN closed_at IS NULL THEN 'open'
  WHEN expires_at IS NULL OR coalesce(close_type_code, '') IN ('2', '3', '4') THEN 'closed'
  WHEN closed_at < expires_at THEN 'closed_early'
  ELSE 'expired' END`
