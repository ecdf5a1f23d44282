// Package trends fetches Google Trends interest over time for a set of
// keywords in Korea (geo KR, hl=ko, tz=-540).
//
// # Which endpoint, and why
//
// Google announced an official Google Trends API in July 2025, but it is an
// alpha with application-gated access, OAuth and no published endpoint
// reference, so it cannot be the
// production source today. This package uses the web endpoints the Trends
// site itself calls, as the open-source pytrends library does:
//
//  1. GET {base}/trends/api/explore?hl=ko&tz=-540&req=<JSON> where req holds
//     one comparisonItem per keyword ({keyword, geo "KR", time
//     "YYYY-MM-DD YYYY-MM-DD"}), category and property. The body starts
//     with the anti-XSSI prefix )]}' and lists widgets; the TIMESERIES
//     widget carries a request object and a token bound to it.
//  2. GET {base}/trends/api/widgetdata/multiline?hl=ko&tz=-540&req=<that
//     request, byte for byte>&token=<its token>. The body starts with )]}',
//     and holds default.timelineData: one point per period with time (Unix
//     seconds as a string), value[] (one per keyword, in request order),
//     hasData[], and isPartial on the last point when its period is not over.
//
// pytrends switched explore to POST in 2023; Config.ExploreMethod selects it.
// The endpoints are undocumented: they answer 429 when called too often and
// their shape has changed over the years. Both are treated as normal.
//
// # Errors and tolerance
//
// Decoding is tolerant: extra fields are ignored; a renamed timeline array is
// found by its content; values sent as strings are parsed; a missing hasData
// is inferred from the values; a missing isPartial means false. Each such
// accommodation is listed in Series.Warnings so the caller can alert on it.
// What cannot be understood returns an *apicall.ShapeError (errors.Is
// apicall.ErrShape) with the reason and the raw body, for the caller to
// quarantine. 429, 5xx,
// timeouts, network failures and a rejected token are retried with
// exponential backoff (a retry runs explore again, for a fresh token); the
// last error matches apicall.ErrRateLimited, apicall.ErrServer and so on.
//
// # Comparability: anchoring
//
// Values are relative: 0-100 within one request, 100 being the peak of any
// keyword in that request. Two requests are comparable only through a
// keyword they share. So every request carries the same anchor keyword as
// its first keyword (Groups builds such requests: the anchor plus up to four
// others), and Normalize scales each request so that the anchor's mean over
// the window's complete periods is 100: a keyword's scaled interest reads
// "this many percent of the anchor's average interest over the window".
// Requests for the same window share their periods, so a group retried in a
// later execution lands on the same scale as those fetched the first time.
// The anchor, its mean and the factor are stored on each Series (Anchor,
// AnchorMean, Scale) and on each Row, next to the raw integer, so the
// warehouse keeps the request context and can redo the scaling.
//
// # What lands where
//
// Capture is the lake's raw object for one request: the two bodies exactly
// as received, with the keywords, window and URLs. ParseCapture decodes it
// again, and Rows flattens a normalized Series into the clean rows the
// warehouse loads (one per keyword and period).
package trends
