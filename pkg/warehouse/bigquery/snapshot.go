package bigquery

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	bq "cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
)

var _ warehouse.Snapshotter = (*Warehouse)(nil)

// SnapshotTables are the tables ("dataset.table") the dashboard's
// snapshot reads: their modification times are its version, and the
// dashboard's account may read them.
func SnapshotTables() []string {
	return []string{"core.recruit", "core.open_postings_daily", "core.google_trend", "core.certification",
		"staging.recruit_loads", "staging.indicator_loads"}
}

// Version is the newest modification time of the tables the snapshot
// reads: table metadata, which costs no query.
func (w *Warehouse) Version(ctx context.Context) (string, error) {
	var newest time.Time
	for _, t := range SnapshotTables() {
		ds, name, _ := strings.Cut(t, ".")
		md, err := w.client.Dataset(ds).Table(name).Metadata(ctx)
		if err != nil {
			return "", fmt.Errorf("bigquery.Version: %s: %w", t, err)
		}
		if md.LastModifiedTime.After(newest) {
			newest = md.LastModifiedTime
		}
	}
	return newest.UTC().Format(time.RFC3339Nano), nil
}

// experienceSQL is a posting's experience level (warehouse.ExperienceSQL)
// on one line, as the queries here are written.
var experienceSQL = strings.Join(strings.Fields(warehouse.ExperienceSQL), " ")

// snapshotQueries read the Snapshot (DuckDB: ../duckdb/snapshot.go;
// DIFFERENCES.md).
var snapshotQueries = struct{ postings, open, trends, certs, facts string }{
	postings: "-- Postings, one row each by posting day, with days open to the close or the warehouse clock's day\n" +
		"WITH clock AS (\n" +
		"  SELECT DATE(COALESCE((SELECT MAX(as_of) FROM `staging.recruit_loads`), (SELECT MAX(loaded_at) FROM `staging.recruit_loads`),\n" +
		"    (SELECT MAX(last_seen_at) FROM `core.recruit`)), 'Asia/Seoul') AS today)\n" +
		"SELECT posted_date AS date, COALESCE(role, it_group, 'other') AS role, IFNULL(is_entry_level, FALSE) AS entry,\n" +
		"  IFNULL(province, '') AS province, IFNULL(industry_category, '') AS industry, IFNULL(industry_name, '') AS industry_detail,\n" +
		"  " + experienceSQL + " AS experience, regions, skills,\n" +
		"  GREATEST(0, DATE_DIFF(COALESCE(closed_date, clock.today, posted_date), posted_date, DAY)) AS days,\n" +
		"  " + warehouse.LifetimeEndSQL + " AS ended\n" +
		"FROM `core.recruit`, clock WHERE posted_date IS NOT NULL ORDER BY posted_date",
	open:   "-- Open postings per day\nSELECT date, role, open_postings FROM `core.open_postings_daily`",
	trends: "-- Search interest\nSELECT keyword, period, interest_scaled, IFNULL(is_partial, TRUE) AS is_partial, IFNULL(anchor, '') AS anchor FROM `core.google_trend`",
	certs: "-- Certification rounds\nSELECT exam, stage, year, round, applicants, examinees, passers, pass_rate,\n" +
		"  IFNULL(quality, '') AS quality, IFNULL(source, '') AS source, IFNULL(synthetic, FALSE) AS synthetic FROM `core.certification`",
	facts: "-- Snapshot facts\nSELECT (SELECT COUNT(*) FROM `core.recruit`) AS postings,\n" +
		"  (SELECT IFNULL(LOGICAL_OR(synthetic), FALSE) FROM `core.recruit`) AS synthetic,\n" +
		"  (SELECT MAX(loaded_at) FROM `staging.recruit_loads`) AS saramin,\n" +
		"  (SELECT MAX(loaded_at) FROM `staging.indicator_loads` WHERE source = 'trends') AS trends,\n" +
		"  (SELECT MAX(loaded_at) FROM `staging.indicator_loads` WHERE source = 'cert') AS cert,\n" +
		"  COALESCE((SELECT MAX(as_of) FROM `staging.recruit_loads`), (SELECT MAX(loaded_at) FROM `staging.recruit_loads`),\n" +
		"    (SELECT MAX(last_seen_at) FROM `core.recruit`)) AS clock",
}

// Snapshot reads the dashboard's aggregates, one query each, passing
// each posting to sink as the rows arrive.
func (w *Warehouse) Snapshot(ctx context.Context, sink warehouse.PostingSink) (*warehouse.Snapshot, error) {
	q := snapshotQueries
	snap := &warehouse.Snapshot{Loaded: map[source.Source]time.Time{}}
	var p warehouse.SnapshotPosting
	steps := []struct {
		kind, sql string
		row       func(*row) error
	}{
		{"snapshot_postings", q.postings, func(r *row) error {
			p.Date, p.Role, p.Entry = r.date("date"), r.str("role"), r.boolean("entry")
			p.Province, p.Industry, p.IndustryDetail = r.str("province"), r.str("industry"), r.str("industry_detail")
			p.Experience, p.Days, p.Ended = r.str("experience"), r.integer("days"), r.str("ended")
			// Each distinct province and district once, in the order listed;
			// none listed: the province.
			p.Regions = p.Regions[:0]
			regions := r.strs("regions")
			if len(regions) == 0 {
				regions = append(regions, p.Province+" > ")
			}
			for _, name := range regions {
				if reg := warehouse.SplitRegion(name); !slices.Contains(p.Regions, reg) {
					p.Regions = append(p.Regions, reg)
				}
			}
			p.Skills = r.strs("skills")
			if r.err != nil {
				return nil
			}
			return sink.Posting(&p)
		}},
		{"snapshot_open", q.open, func(r *row) error {
			snap.Open = append(snap.Open, warehouse.OpenRow{Date: r.date("date"), Role: r.str("role"), Open: r.integer("open_postings")})
			return nil
		}},
		{"snapshot_trends", q.trends, func(r *row) error {
			t := warehouse.TrendRow{Keyword: r.str("keyword"), Period: r.date("period"), Partial: r.boolean("is_partial"), Anchor: r.str("anchor")}
			if r.m["interest_scaled"] != nil {
				v := r.float("interest_scaled")
				t.Interest = &v
			}
			snap.Trends = append(snap.Trends, t)
			return nil
		}},
		{"snapshot_certs", q.certs, func(r *row) error {
			c := warehouse.CertRow{Exam: r.str("exam"), Stage: r.str("stage"), Year: int(r.integer("year")), Round: int(r.integer("round")),
				Quality: r.str("quality"), Source: r.str("source"), Synthetic: r.boolean("synthetic")}
			c.Applicants, c.Examinees, c.Passers = r.nullInteger("applicants"), r.nullInteger("examinees"), r.nullInteger("passers")
			if r.m["pass_rate"] != nil {
				v := r.float("pass_rate")
				c.PassRate = &v
			}
			snap.Certs = append(snap.Certs, c)
			return nil
		}},
		{"snapshot_facts", q.facts, func(r *row) error {
			snap.Postings, snap.Synthetic = r.integer("postings"), r.boolean("synthetic")
			for _, src := range source.All() { // a column each, named for the source
				if r.m[string(src)] != nil {
					snap.Loaded[src] = r.timestamp(string(src)).UTC()
				}
			}
			if r.m["clock"] != nil {
				snap.Clock = r.timestamp("clock").UTC()
			}
			return nil
		}},
	}
	for _, s := range steps {
		i := 0
		err := w.each(ctx, s.kind, s.sql, nil, func(m map[string]bq.Value) error {
			r := row{m: m}
			if err := s.row(&r); err != nil {
				return err
			}
			if r.err != nil {
				return fmt.Errorf("row %d: %w", i, r.err)
			}
			i++
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("bigquery.Snapshot: %s: %w", s.kind, err)
		}
	}
	return snap, nil
}

// row reads a result row's columns, remembering the first that is
// missing or of another type than the query gives (a drifted table).
type row struct {
	m   map[string]bq.Value
	err error
}

func get[T any](r *row, col string) T {
	v, ok := r.m[col].(T)
	if !ok && r.err == nil {
		r.err = fmt.Errorf("column %s: got %T, want %T", col, r.m[col], v)
	}
	return v
}

func (r *row) str(col string) string    { return get[string](r, col) }
func (r *row) integer(col string) int64 { return get[int64](r, col) }
func (r *row) float(col string) float64 { return get[float64](r, col) }

// nullInteger is an INT64 column that may be NULL.
func (r *row) nullInteger(col string) *int64 {
	if r.m[col] == nil {
		return nil
	}
	v := r.integer(col)
	return &v
}
func (r *row) boolean(col string) bool { return get[bool](r, col) }

// strs is an ARRAY<STRING> column (never NULL in BigQuery).
func (r *row) strs(col string) []string {
	vs := get[[]bq.Value](r, col)
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		s, ok := v.(string)
		if !ok && r.err == nil {
			r.err = fmt.Errorf("column %s: an item is %T, want string", col, v)
		}
		out = append(out, s)
	}
	return out
}
func (r *row) timestamp(col string) time.Time { return get[time.Time](r, col) }
func (r *row) date(col string) time.Time      { return get[civil.Date](r, col).In(time.UTC) }
