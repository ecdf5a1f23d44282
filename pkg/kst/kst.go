// Package kst holds Korea Standard Time (UTC+9, no daylight saving): the
// zone of the source APIs, of the calendar days the pipeline counts (quotas,
// windows, weeks) and of the times people read in messages.
package kst

import "time"

// Zone is Korea Standard Time.
var Zone = time.FixedZone("KST", 9*60*60)

// Midnight is the KST midnight starting t's KST day.
func Midnight(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}
