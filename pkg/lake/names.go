package lake

import (
	"fmt"
	"time"

	"jobpulse/pkg/source"
)

// Object names. Every name is a pure function of the source, the run id and
// a sequence number, so running the same window again overwrites the same
// objects instead of adding new ones.
//
//	raw/<source>/dt=<YYYY-MM-DD>/run=<run id>/page-00000.json
//	raw/<source>/dt=<YYYY-MM-DD>/run=<run id>/<item>.json (one per request or file)
//	clean/<source>/<table>/dt=<YYYY-MM-DD>/run=<run id>/part-00000.ndjson
//	clean/<source>/<table>/dt=<YYYY-MM-DD>/run=<run id>/<item>.ndjson
//	quarantine/<source>/<table>/dt=<YYYY-MM-DD>/run=<run id>/part-00000.ndjson
//	state/watermark/<source>.json

// RunID names one extraction window of a source: the same window always has
// the same id.
func RunID(src source.Source, from, to time.Time) string {
	const f = "20060102T150405Z"
	return fmt.Sprintf("%s-%s-%s", src, from.UTC().Format(f), to.UTC().Format(f))
}

// RawPage is the name of one raw API page of a run.
func RawPage(src source.Source, runID string, day time.Time, page int) string {
	return fmt.Sprintf("raw/%s/dt=%s/run=%s/page-%05d.json", src, day.UTC().Format(time.DateOnly), runID, page)
}

// RawItem is the name of one raw object of a run named for what it holds
// (a request id, a file name), for sources whose runs may be completed by
// a later execution: the same item always gets the same name.
func RawItem(src source.Source, runID string, day time.Time, item string) string {
	return fmt.Sprintf("raw/%s/dt=%s/run=%s/%s", src, day.UTC().Format(time.DateOnly), runID, item)
}

// CleanItem is the clean counterpart of RawItem.
func CleanItem(src source.Source, table, runID string, day time.Time, item string) string {
	return fmt.Sprintf("clean/%s/%s/dt=%s/run=%s/%s.ndjson", src, table, day.UTC().Format(time.DateOnly), runID, item)
}

// QuarantineItem is the quarantine counterpart of RawItem.
func QuarantineItem(src source.Source, table, runID string, day time.Time, item string) string {
	return fmt.Sprintf("quarantine/%s/%s/dt=%s/run=%s/%s.ndjson", src, table, day.UTC().Format(time.DateOnly), runID, item)
}

// CleanPart is the name of one clean, load-ready part of a run.
func CleanPart(src source.Source, table, runID string, day time.Time, part int) string {
	return fmt.Sprintf("clean/%s/%s/dt=%s/run=%s/part-%05d.ndjson", src, table, day.UTC().Format(time.DateOnly), runID, part)
}

// QuarantinePart is the name of the records of one raw page that could not
// be understood, each with its reason.
func QuarantinePart(src source.Source, table, runID string, day time.Time, part int) string {
	return fmt.Sprintf("quarantine/%s/%s/dt=%s/run=%s/part-%05d.ndjson", src, table, day.UTC().Format(time.DateOnly), runID, part)
}

// QuarantineBatch is where a clean batch that failed a data check is
// described (its files stay where they are).
func QuarantineBatch(src source.Source, runID string) string {
	return fmt.Sprintf("quarantine/%s/batches/run=%s.json", src, runID)
}

// DataSetObject is the name, within a cert run, of the operator's file.
const DataSetObject = "dataset.csv"

// QuarantineMessage is where a bus message that could not be decoded is kept.
func QuarantineMessage(subscription, messageID string) string {
	return fmt.Sprintf("quarantine/messages/%s/%s.json", subscription, messageID)
}

// RereadName is the marker of a window whose records were set aside, to
// be read again from the API (package reread).
func RereadName(src source.Source, runID string) string {
	return RereadPrefix(src) + runID + ".json"
}

// RereadPrefix is where a source's re-read marks live.
func RereadPrefix(src source.Source) string { return "state/reread/" + string(src) + "/" }

// WatermarkName is the object holding a source's watermark.
func WatermarkName(src source.Source) string {
	return "state/watermark/" + string(src) + ".json"
}
