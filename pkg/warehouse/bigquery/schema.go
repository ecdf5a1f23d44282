package bigquery

import (
	"strings"
	"time"

	bq "cloud.google.com/go/bigquery"
)

// Datasets are the seed's layers plus ops, named as DuckDB names its schemas.
var Datasets = []string{"staging", "external", "meta", "core", "ops"}

// tableSpec is one table Ensure creates: schema, partitioning, clustering.
type tableSpec struct {
	dataset, name string
	schema        bq.Schema
	partition     *bq.TimePartitioning
	cluster       []string
	requireFilter bool // require_partition_filter
}

// col parses "name TYPE" pairs: TYPE is STRING, INT64, BOOL, TIMESTAMP,
// DATE, JSON, FLOAT64, or one of them followed by [] (REPEATED) or ! (REQUIRED).
func cols(spec string) bq.Schema {
	var s bq.Schema
	for _, line := range strings.Split(spec, ",") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		fs := &bq.FieldSchema{Name: f[0]}
		t := f[1]
		if strings.HasSuffix(t, "[]") {
			fs.Repeated, t = true, strings.TrimSuffix(t, "[]")
		}
		if strings.HasSuffix(t, "!") {
			fs.Required, t = true, strings.TrimSuffix(t, "!")
		}
		fs.Type = map[string]bq.FieldType{
			"STRING": bq.StringFieldType, "INT64": bq.IntegerFieldType, "BOOL": bq.BooleanFieldType,
			"TIMESTAMP": bq.TimestampFieldType, "DATE": bq.DateFieldType, "JSON": bq.JSONFieldType,
			"FLOAT64": bq.FloatFieldType,
		}[t]
		if fs.Type == "" {
			panic("bigquery: unknown column type " + t)
		}
		s = append(s, fs)
	}
	return s
}

// postingCols are saramin.Posting's columns as the warehouse keeps them
// (DuckDB's schema.sql, same order), up to and including raw_object.
const postingCols = `id STRING, url STRING, active BOOL, company_name STRING, company_href STRING,
	title STRING, industry_code STRING, industry_name STRING,
	location_codes STRING[], location_names STRING[], job_type_codes STRING[], job_type_names STRING[],
	job_mid_codes STRING[], job_mid_names STRING[], job_codes STRING[], job_code_names STRING[],
	experience_code INT64, experience_min INT64, experience_max INT64, experience_name STRING,
	education_code STRING, education_name STRING, keywords STRING[], salary_code STRING, salary_name STRING,
	posted_at TIMESTAMP, modified_at TIMESTAMP, opening_at TIMESTAMP, expires_at TIMESTAMP,
	close_type_code STRING, close_type_name STRING, read_count INT64, apply_count INT64,
	synthetic BOOL, extra JSON, raw_object STRING`

// skillsCol is the clean row's skills (package skills), the last column of
// staging.recruit and external.recruit_table (added after the others, so a
// table made before it gains it with ALTER TABLE ... ADD COLUMN); core.recruit
// keeps it among its own columns (coreCols).
const skillsCol = `skills STRING[]`

// loadSchema is what a load job reads from a clean NDJSON file: the
// Posting's keys. Lists load as JSON so a null list stays distinguishable
// from an empty one: stage_recruit.sql turns them into ARRAY<STRING> and,
// BigQuery having no NULL array, names those that arrived null (or
// missing) in null_lists. The file's own run_id is not listed (the batch's
// run id wins) and, with IgnoreUnknownValues, neither is any key the
// transformer adds later.
var loadSchema = func() bq.Schema {
	s := cols(strings.Replace(postingCols, "raw_object STRING", "source_object STRING", 1) + ", " + skillsCol)
	for _, f := range s {
		if f.Repeated {
			f.Repeated, f.Type = false, bq.JSONFieldType
		}
	}
	return s
}()

// externalCols follow the posting columns in external.recruit_table and
// core.recruit (same order: core_recruit.sql inserts positionally).
const externalCols = `run_id STRING!, source_object STRING!, first_seen_at TIMESTAMP!, last_seen_at TIMESTAMP!,
	is_open BOOL!, closed_at TIMESTAMP, null_lists STRING[]`

// coreCols are core.recruit's own columns. it_group (the comparison group of
// other IT work when role is NULL, package role) and search_text (title and
// company lowered, for the dashboard's search) are last: a table made
// before them gains them with ALTER TABLE ... ADD COLUMN (README.md).
const coreCols = `regions STRING[], province STRING, provinces STRING[],
	industry_category_code STRING, industry_category STRING, experience_level STRING,
	is_entry_level BOOL!, job_types STRING[], salary_band STRING,
	salary_min_manwon INT64, salary_max_manwon INT64, skills STRING[], role STRING,
	is_data_role BOOL!, posted_date DATE, closed_date DATE, it_group STRING, search_text STRING`

func day(field string) *bq.TimePartitioning {
	return &bq.TimePartitioning{Type: bq.DayPartitioningType, Field: field}
}

// tables lists every table Ensure creates. See README.md for why each is
// partitioned and clustered as it is.
func tables() []tableSpec {
	coreRecruit := cols(postingCols + "," + externalCols + "," + coreCols)
	entry := cols("code STRING!, name STRING, source STRING, note STRING")
	agg := func(name, spec string, cluster ...string) tableSpec {
		return tableSpec{dataset: "core", name: name, schema: cols(spec), partition: day("date"), cluster: cluster}
	}
	return []tableSpec{
		{dataset: "staging", name: "recruit",
			schema: cols(postingCols + `, run_id STRING!, source_object STRING!, source_line INT64!,
				loaded_at TIMESTAMP!, null_lists STRING[], ` + skillsCol),
			partition: day("loaded_at"), cluster: []string{"run_id", "id"}, requireFilter: true},
		{dataset: "staging", name: "recruit_loads",
			schema: cols(`run_id STRING!, source STRING, window_from TIMESTAMP, window_to TIMESTAMP,
				objects STRING[], rows INT64, staged INT64, inserted INT64, updated INT64, unchanged INT64,
				loaded_at TIMESTAMP!, as_of TIMESTAMP`)},
		{dataset: "external", name: "recruit_table", schema: cols(postingCols + "," + externalCols + "," + skillsCol),
			partition: &bq.TimePartitioning{Type: bq.MonthPartitioningType, Field: "posted_at"},
			cluster:   []string{"id"}},
		{dataset: "external", name: "recruit_role", schema: cols("id STRING!, role STRING, it_group STRING"), cluster: []string{"id"}},
		{dataset: "meta", name: "versions", schema: cols("table_name STRING!, hash STRING!, rows INT64!, loaded_at TIMESTAMP!")},
		{dataset: "meta", name: "location", schema: cols(`code STRING!, province_code STRING!, province STRING!,
			name STRING!, full_name STRING!, is_province BOOL!, source STRING, note STRING`)},
		{dataset: "meta", name: "industries", schema: cols("code STRING!, name STRING, category_code STRING, source STRING, note STRING")},
		{dataset: "meta", name: "industry_categories", schema: entry},
		{dataset: "meta", name: "job_mid", schema: entry},
		{dataset: "meta", name: "job_codes", schema: cols("code STRING!, name STRING, job_mid_code STRING, source STRING, note STRING")},
		{dataset: "meta", name: "experiences", schema: entry},
		{dataset: "meta", name: "education", schema: entry},
		{dataset: "meta", name: "job_types", schema: entry},
		{dataset: "meta", name: "salary", schema: cols(`code STRING!, name STRING, min_manwon INT64, max_manwon INT64,
			source STRING, note STRING`)},
		{dataset: "meta", name: "close_types", schema: entry},
		{dataset: "core", name: "recruit", schema: coreRecruit, partition: day("posted_date"), cluster: []string{"role", "province"}},
		{dataset: "core", name: "datajob", schema: coreRecruit, partition: day("posted_date"), cluster: []string{"role", "province"}},
		agg("daily_postings", "date DATE!, role STRING!, postings INT64!", "role"),
		agg("daily_by_region", "date DATE!, province STRING!, role STRING!, postings INT64!", "role", "province"),
		agg("daily_by_industry", "date DATE!, industry_category STRING!, role STRING!, postings INT64!", "role", "industry_category"),
		agg("daily_entry_level", "date DATE!, role STRING!, entry_level BOOL!, postings INT64!", "role"),
		agg("open_postings_daily", "date DATE!, role STRING!, open_postings INT64!", "role"),
		// The indicators beside the postings (../duckdb/sql/schema_indicators.sql).
		{dataset: "staging", name: "google_trend",
			schema: cols(trendCols + `, raw_object STRING, run_id STRING!, source_object STRING!,
				source_line INT64!, loaded_at TIMESTAMP!`),
			partition: day("loaded_at"), cluster: []string{"source_object"}, requireFilter: true},
		{dataset: "external", name: "google_trend",
			schema: cols(`request_id STRING!, keyword STRING!, period DATE!, resolution STRING, interest INT64,
				has_data BOOL, is_partial BOOL, interest_scaled FLOAT64, anchor STRING, anchor_mean FLOAT64,
				scale FLOAT64, request_keywords STRING, geo STRING, window_from DATE, window_to DATE,
				fetched_at TIMESTAMP, synthetic BOOL, run_id STRING, source_object STRING, loaded_at TIMESTAMP`),
			partition: &bq.TimePartitioning{Type: bq.MonthPartitioningType, Field: "window_to"},
			cluster:   []string{"keyword", "request_id"}},
		{dataset: "core", name: "google_trend",
			schema: cols(`keyword STRING!, period DATE!, resolution STRING, interest INT64, interest_scaled FLOAT64,
				has_data BOOL, is_partial BOOL, anchor STRING, anchor_mean FLOAT64, scale FLOAT64,
				request_id STRING, request_keywords STRING, window_from DATE, window_to DATE,
				fetched_at TIMESTAMP, synthetic BOOL`),
			cluster: []string{"keyword", "period"}},
		{dataset: "external", name: "certification",
			schema:  cols(certCols + `, run_id STRING!, as_of TIMESTAMP!, loaded_at TIMESTAMP!`),
			cluster: []string{"exam"}},
		{dataset: "core", name: "certification",
			schema: cols(`exam STRING!, stage STRING!, year INT64!, round INT64!, applicants INT64, examinees INT64,
				passers INT64, pass_rate FLOAT64, quality STRING, source STRING, synthetic BOOL, as_of TIMESTAMP!`),
			cluster: []string{"exam"}},
		{dataset: "staging", name: "indicator_loads",
			schema: cols(`source STRING!, run_id STRING!, batch STRING!, window_from TIMESTAMP, window_to TIMESTAMP,
				objects STRING[], rows INT64, inserted INT64, updated INT64, unchanged INT64, loaded_at TIMESTAMP!`)},
		{dataset: "ops", name: "runs",
			schema: cols(`job STRING!, execution STRING!, run_id STRING, source STRING,
				window_from TIMESTAMP, window_to TIMESTAMP, count_in INT64, count_out INT64,
				checks_passed INT64, checks_failed INT64, status STRING!, error STRING,
				started_at TIMESTAMP!, duration_ms INT64`),
			partition: day("started_at"), cluster: []string{"job", "execution"}},
	}
}

// trendCols are trends.Row's columns as staging.google_trend keeps them
// (DuckDB's schema_indicators.sql, same order), up to synthetic.
const trendCols = `keyword STRING, period DATE, resolution STRING, interest INT64, has_data BOOL, is_partial BOOL,
	interest_scaled FLOAT64, anchor STRING, anchor_mean FLOAT64, scale FLOAT64, request_id STRING,
	request_keywords STRING, geo STRING, window_from DATE, window_to DATE, fetched_at TIMESTAMP, synthetic BOOL`

// trendLoadSchema is what a load job reads from a clean NDJSON file of
// trend rows: trends.Row's keys. The file's run_id is not listed (the
// batch's wins); its source_object becomes raw_object in stage_trend.sql.
var trendLoadSchema = cols(trendCols + ", source_object STRING")

// certCols are cert.Stat's columns (DuckDB's external.certification, same
// order), which is also what a load job reads from a clean NDJSON file of
// certification rows (certLoadSchema).
const certCols = `exam STRING!, jmcd STRING, stage STRING!, year INT64!, round INT64!, applicants INT64,
	examinees INT64, passers INT64, pass_rate FLOAT64, source STRING, quality STRING, note STRING,
	synthetic BOOL, origin STRING`

// certLoadSchema is certCols without REQUIRED: a row missing its key loads
// (stage and round default in stage_certification.sql) and fails a check.
var certLoadSchema = func() bq.Schema {
	s := cols(certCols)
	for _, f := range s {
		f.Required = false
	}
	return s
}()

// loadTableTTL bounds how long a per-load table outlives a crashed load.
const loadTableTTL = 24 * time.Hour
