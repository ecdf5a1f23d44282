package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"jobpulse/pkg/apicall"
	"jobpulse/pkg/bus"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/source"
	"jobpulse/pkg/trends"
)

// TrendsConfig configures --source trends.
type TrendsConfig struct {
	TrendsBaseURL  string        `env:"TRENDS_BASE_URL, default=https://trends.google.com" help:"Google Trends base URL (the emulator's URL locally)"`
	TrendsKeywords []string      `env:"TRENDS_KEYWORDS, default=데이터 엔지니어,데이터 분석,데이터 사이언티스트,빅데이터,SQL,파이썬,ADsP,SQLD,빅데이터분석기사,정보처리기사" help:"keywords followed in Google Trends, comma-separated"`
	TrendsAnchor   string        `env:"TRENDS_ANCHOR, default=데이터 분석" help:"keyword sent in every Trends request; requests are scaled on it"`
	TrendsYears    int           `env:"TRENDS_YEARS, default=5" help:"years of weekly interest each trends run fetches"`
	TrendsRate     float64       `env:"TRENDS_RATE, default=0.2" help:"Trends calls per second"`
	TrendsTimeout  time.Duration `env:"TRENDS_TIMEOUT, default=30s" help:"timeout of one Trends call"`
	TrendsMaxTries uint          `env:"TRENDS_MAX_TRIES, default=5" help:"attempts per Trends request before its keywords count as failed"`
	TrendsBackoff  time.Duration `env:"TRENDS_BACKOFF, default=5s" help:"first wait before retrying a Trends request (doubles each try)"`
}

// check reports every --source trends setting that cannot work.
func (c TrendsConfig) check() []error {
	var errs []error
	if strings.TrimSpace(c.TrendsAnchor) == "" {
		errs = append(errs, errors.New("TRENDS_ANCHOR is empty; want the keyword every Trends request is scaled on"))
	}
	if len(c.TrendsKeywords) == 0 || slices.Contains(c.TrendsKeywords, "") {
		errs = append(errs, errors.New("TRENDS_KEYWORDS names an empty keyword or none; want comma-separated keywords"))
	}
	if c.TrendsYears <= 0 {
		errs = append(errs, fmt.Errorf("TRENDS_YEARS is %d; want 1 or more years", c.TrendsYears))
	}
	if c.TrendsTimeout < 0 {
		errs = append(errs, fmt.Errorf("TRENDS_TIMEOUT is %s; want a positive duration such as 30s", c.TrendsTimeout))
	}
	if c.TrendsBackoff < 0 {
		errs = append(errs, fmt.Errorf("TRENDS_BACKOFF is %s; want a positive duration such as 5s", c.TrendsBackoff))
	}
	return errs
}

// TrendsAPI is the Google Trends client.
type TrendsAPI interface {
	Interest(ctx context.Context, keywords []string, from, to time.Time) (*trends.Series, error)
}

// ErrKeywordsFailed is returned by a trends run that could not collect
// some keywords. What was collected is in the lake and announced; the
// keywords are kept in the watermark and the next execution asks for them
// again.
var ErrKeywordsFailed = errors.New("trends keywords not collected")

// runTrends fetches the interest of every keyword over the window ending
// today (KST), once a day. An execution on a day already fetched only asks
// again for the keywords the last run could not collect.
func (e *Extractor) runTrends(ctx context.Context, opts Options, began time.Time) (Summary, error) {
	c := e.Cfg.TrendsConfig
	wm, found, err := e.Lake.ReadWatermark(ctx, source.Trends)
	if err != nil {
		return Summary{}, ops.InStep("watermark", fmt.Errorf("extract trends: %w", err))
	}
	to := opts.To
	if to.IsZero() {
		to = kst.Midnight(began)
	}
	from := opts.From
	if from.IsZero() {
		from = to.AddDate(-c.TrendsYears, 0, 0)
	}
	// --from asks for a window again (all keywords); --to alone only says
	// which day "today" is.
	explicit := !opts.From.IsZero()
	retrying := false
	if !explicit && found && !wm.Until.Before(to) {
		if len(wm.Pending) == 0 {
			sum := Summary{RunID: wm.RunID, Window: bus.Window{From: wm.From, To: wm.Until}, NothingNew: true, Duration: e.Now().Sub(began)}
			e.Log.Info("trends already fetched today: nothing to do", "source", source.Trends, "watermark", wm.Until)
			return sum, nil
		}
		// Same day: ask again only for the requests the last run missed,
		// over the same window and with the same keywords, so the rows are
		// those a complete run would have given.
		retrying = true
		to = wm.Until
		if !wm.From.IsZero() {
			from = wm.From
		}
	}
	from, to = from.UTC(), to.UTC()
	sum := Summary{RunID: lake.RunID(source.Trends, from, to), Window: bus.Window{From: from, To: to}}
	log := logging.ForRun(e.Log, e.Project, sum.RunID).With("source", source.Trends)
	groups := trends.Groups(c.TrendsAnchor, c.TrendsKeywords)
	if retrying {
		groups = nil
		for _, g := range wm.Pending {
			groups = append(groups, strings.Split(g, ","))
		}
		log.Info("retrying the requests the last run could not collect", "requests", wm.Pending)
	}
	// The request's window is in KST calendar days, both included.
	lastDay := to.Add(-time.Nanosecond)
	collected := map[string]bool{}
	var failed []string  // keywords
	var pending []string // requests, as comma-joined keywords
	for _, g := range groups {
		s, err := e.Trends.Interest(ctx, g, from, lastDay)
		if ctx.Err() != nil {
			return sum, fmt.Errorf("extract %s: %w", sum.RunID, context.Cause(ctx))
		}
		if err != nil {
			failed = append(failed, g...)
			pending = append(pending, strings.Join(g, ","))
			if errors.Is(err, apicall.ErrShape) {
				if qerr := e.quarantineTrend(ctx, sum.RunID, to, g, err); qerr != nil {
					return sum, qerr
				}
				sum.Quarantined++
				log.Error("trends answer not understood: quarantined", "alert", "quarantine", "keywords", g, "error", err)
			} else {
				log.Warn("trends request failed", "keywords", g, "error", err)
			}
			continue
		}
		for _, w := range s.Warnings {
			log.Warn("trends answer changed shape; read anyway", "alert", "shape_drift", "keywords", g, "warning", w)
		}
		data, err := json.Marshal(s.Capture())
		if err != nil {
			return sum, fmt.Errorf("extract %s: encode capture: %w", sum.RunID, err)
		}
		name := lake.RawItem(source.Trends, sum.RunID, to, trends.RequestID(s.Keywords, s.Geo, s.Window)+".json")
		if err := e.Lake.Put(ctx, name, "application/json", data); err != nil {
			return sum, ops.InStep("land", fmt.Errorf("extract %s: %w", sum.RunID, err))
		}
		sum.Pages++
		sum.Objects = append(sum.Objects, name)
		for _, k := range g {
			collected[k] = true
		}
	}
	for _, k := range failed {
		if !collected[k] && !slices.Contains(sum.Failed, k) {
			sum.Failed = append(sum.Failed, k)
		}
	}
	sum.Keywords = len(collected)
	if len(sum.Objects) == 0 {
		sum.Duration = e.Now().Sub(began)
		log.Error("no trends keyword collected", "alert", "keywords_failed", "keywords", sum.Failed)
		return sum, fmt.Errorf("extract %s: %w: all of %s", sum.RunID, ErrKeywordsFailed, strings.Join(sum.Failed, ", "))
	}
	if err := e.announce(ctx, source.Trends, &sum, len(sum.Objects)); err != nil {
		return sum, err
	}
	if !found || to.After(wm.Until) || (to.Equal(wm.Until) && !explicit) {
		next := lake.Watermark{Until: to, From: from, RunID: sum.RunID, Updated: e.Now(), Pending: pending}
		if err := e.Lake.WriteWatermark(ctx, wm, next); err != nil {
			return sum, ops.InStep("watermark", fmt.Errorf("extract %s: %w", sum.RunID, err))
		}
	}
	sum.Duration = e.Now().Sub(began)
	log.Info("extracted", "requests", sum.Pages, "keywords", sum.Keywords, "failed", len(sum.Failed), "message_id", sum.MessageID, "duration", sum.Duration)
	if len(sum.Failed) > 0 {
		log.Error("trends keywords not collected: retried by the next execution", "alert", "keywords_failed", "keywords", sum.Failed)
		return sum, fmt.Errorf("extract %s: %w: %s", sum.RunID, ErrKeywordsFailed, strings.Join(sum.Failed, ", "))
	}
	return sum, nil
}

// quarantineTrend keeps an answer that could not be understood, with the
// reason, for a person to look at.
func (e *Extractor) quarantineTrend(ctx context.Context, runID string, to time.Time, keywords []string, err error) error {
	rec := struct {
		Reason   string   `json:"reason"`
		Keywords []string `json:"keywords"`
		RunID    string   `json:"run_id"`
		Body     string   `json:"body,omitempty"`
	}{Reason: err.Error(), Keywords: keywords, RunID: runID}
	var se *apicall.ShapeError
	if errors.As(err, &se) {
		rec.Body = string(se.Body)
	}
	data, merr := json.Marshal(rec)
	if merr != nil {
		return fmt.Errorf("extract %s: encode quarantine: %w", runID, merr)
	}
	name := lake.QuarantineItem(source.Trends, "raw", runID, to, trends.RequestID(keywords, "", ""))
	if perr := e.Lake.Put(ctx, name, "application/x-ndjson", append(data, '\n')); perr != nil {
		return fmt.Errorf("extract %s: %w", runID, perr)
	}
	return nil
}
