package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cert"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/trends"
)

// handleTrends turns each captured Trends request into clean rows, scaled
// on the request's anchor. A capture that cannot be understood (a shape
// the decoder does not know, an anchor without data) is quarantined with
// its reason and alerted; the others go on.
func (t *Transformer) handleTrends(ctx context.Context, raw bus.RawBatch) (bus.CleanBatch, error) {
	log := logging.ForRun(t.Log, t.Project, raw.RunID).With("source", raw.Source)
	out := bus.CleanBatch{Source: raw.Source, RunID: raw.RunID, Window: raw.Window, Created: t.Now().UTC()}
	for _, obj := range raw.Objects {
		item := strings.TrimSuffix(path.Base(obj), ".json")
		body, err := t.Lake.Get(ctx, obj)
		if err != nil && !errors.Is(err, lake.ErrNotFound) {
			return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
		}
		var rows []trends.Row
		if err == nil {
			var warnings []string
			rows, warnings, err = trendRows(body, raw.RunID, obj)
			for _, w := range warnings {
				log.Warn("trends answer changed shape; read anyway", "alert", "shape_drift", "object", obj, "warning", w)
			}
		} else {
			err = errors.New("raw object missing from the lake")
			body = nil
		}
		if err != nil {
			name, qerr := t.quarantineItem(ctx, raw, TrendTable, item, Quarantined{Reason: err.Error(), Object: obj, Index: -1, Record: asJSON(body), RunID: raw.RunID})
			if qerr != nil {
				return out, qerr
			}
			out.Quarantine = append(out.Quarantine, name)
			out.Quarantined++
			log.Error("trends capture not understood: quarantined", "alert", "quarantine", "object", obj, "reason", err.Error())
			continue
		}
		data, err := ndjson(rows)
		if err != nil {
			return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
		}
		name := lake.CleanItem(raw.Source, TrendTable, raw.RunID, raw.Window.To, item)
		if err := t.Lake.Put(ctx, name, "application/x-ndjson", data); err != nil {
			return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
		}
		out.Objects = append(out.Objects, name)
		out.Rows += len(rows)
	}
	return out, nil
}

// trendRows parses one capture and scales it on its anchor (the first
// keyword, as every request is built). It also returns the shape changes
// the decoding tolerated.
func trendRows(body []byte, runID, object string) ([]trends.Row, []string, error) {
	s, err := trends.ParseCapture(body)
	if err != nil {
		return nil, nil, err
	}
	ss := []trends.Series{*s}
	if err := trends.Normalize(ss, s.Keywords[0]); err != nil {
		return nil, s.Warnings, err
	}
	return trends.Rows(&ss[0], runID, object), s.Warnings, nil
}

// handleCert builds the whole certification data set of a run: every Q-Net
// answer and the operator's file, merged. The set is all or nothing: if any
// object cannot be read, the run is quarantined and announced without
// files, so the loader keeps the set it has.
func (t *Transformer) handleCert(ctx context.Context, raw bus.RawBatch) (bus.CleanBatch, error) {
	log := logging.ForRun(t.Log, t.Project, raw.RunID).With("source", raw.Source)
	out := bus.CleanBatch{Source: raw.Source, RunID: raw.RunID, Window: raw.Window, Created: t.Now().UTC()}
	var api, dataSet []cert.Stat
	var bad []Quarantined
	for i, obj := range raw.Objects {
		body, err := t.Lake.Get(ctx, obj)
		if err != nil && !errors.Is(err, lake.ErrNotFound) {
			return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
		}
		if err != nil {
			bad = append(bad, Quarantined{Reason: "raw object missing from the lake", Object: obj, Index: i, RunID: raw.RunID})
			continue
		}
		if path.Base(obj) == lake.DataSetObject {
			rows, _, err := cert.ParseDataSet(bytes.NewReader(body))
			if err != nil {
				bad = append(bad, Quarantined{Reason: "data set: " + err.Error(), Object: obj, Index: i, RunID: raw.RunID})
			}
			dataSet = append(dataSet, rows...)
			continue
		}
		var p cert.Page
		if err := json.Unmarshal(body, &p); err != nil {
			bad = append(bad, Quarantined{Reason: "not a Q-Net page capture: " + err.Error(), Object: obj, Index: i, Record: asJSON(body), RunID: raw.RunID})
			continue
		}
		st, err := cert.ParsePage(p)
		if err != nil {
			bad = append(bad, Quarantined{Reason: err.Error(), Object: obj, Index: i, Record: asJSON([]byte(p.Body)), RunID: raw.RunID})
			continue
		}
		api = append(api, st...)
	}
	if len(bad) > 0 {
		name, err := t.quarantineItem(ctx, raw, CertTable, "data-set", bad...)
		if err != nil {
			return out, err
		}
		out.Quarantine = append(out.Quarantine, name)
		out.Quarantined = len(bad)
		log.Error("certification data set not understood: quarantined, the loaded set stays", "alert", "quarantine", "object", name, "count", len(bad), "first_reason", bad[0].Reason)
		return out, nil
	}
	all := cert.Merge(api, dataSet)
	data, err := ndjson(all)
	if err != nil {
		return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
	}
	name := lake.CleanItem(raw.Source, CertTable, raw.RunID, raw.Window.To, "data-set")
	if err := t.Lake.Put(ctx, name, "application/x-ndjson", data); err != nil {
		return out, fmt.Errorf("transform %s: %w", raw.RunID, err)
	}
	out.Objects, out.Rows = []string{name}, len(all)
	return out, nil
}

// quarantineItem writes records that could not be understood under a name
// derived from the run and the item, so a repeat overwrites it.
func (t *Transformer) quarantineItem(ctx context.Context, raw bus.RawBatch, table, item string, recs ...Quarantined) (string, error) {
	return t.putQuarantine(ctx, raw.RunID, lake.QuarantineItem(raw.Source, table, raw.RunID, raw.Window.To, item), recs)
}

// ndjson encodes one JSON value per line, without HTML escaping.
func ndjson[T any](rows []T) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// asJSON keeps a body in a quarantine record: as is when it is JSON, as a
// string otherwise.
func asJSON(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return b
	}
	s, _ := json.Marshal(string(b))
	return s
}
