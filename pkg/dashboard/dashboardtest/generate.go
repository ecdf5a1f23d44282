// Package dashboardtest builds large synthetic warehouses for measuring
// the dashboard: a million postings or more, spread over years, roles,
// provinces, industries and skills the way the real market is, written
// straight into a DuckDB warehouse created by the loader's own schema.
// Every row says synthetic = true.
package dashboardtest

import (
	"context"
	"fmt"
	"time"

	"jobpulse/pkg/warehouse/duckdb"
)

// Generate creates (or replaces) the warehouse at path with n synthetic
// postings posted over `days` days up to end, and the open-postings table
// the loader would derive from them. The same seed gives the same rows.
func Generate(ctx context.Context, path string, n, days int, end time.Time, seed float64) error {
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Ensure(ctx); err != nil {
		return err
	}
	db := w.DB()
	steps := []string{
		`DELETE FROM core.recruit`,
		fmt.Sprintf(`SELECT setseed(%f)`, seed),
		// Provinces and industries as the code tables name them, weighted
		// towards the first ones (Seoul, IT) as the market is.
		`CREATE OR REPLACE TEMP TABLE gen_prov AS
		 SELECT row_number() OVER (ORDER BY p) - 1 AS i, p FROM (SELECT DISTINCT province AS p FROM meta.location WHERE province IS NOT NULL AND province <> '')`,
		// Districts of each province and industries (the detail a
		// breakdown shows), as the code tables name them.
		`CREATE OR REPLACE TEMP TABLE gen_dist AS
		 SELECT province AS p, row_number() OVER (PARTITION BY province ORDER BY full_name) - 1 AS i, full_name,
		        count(*) OVER (PARTITION BY province) AS n
		 FROM meta.location WHERE NOT is_province AND full_name LIKE '% > %'`,
		`CREATE OR REPLACE TEMP TABLE gen_indd AS
		 SELECT row_number() OVER (ORDER BY code) - 1 AS i, name FROM meta.industries WHERE name IS NOT NULL`,
		`CREATE OR REPLACE TEMP TABLE gen_ind AS
		 SELECT row_number() OVER (ORDER BY c) - 1 AS i, c FROM (SELECT DISTINCT name AS c FROM meta.industry_categories WHERE name IS NOT NULL)`,
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE gen AS
		 SELECT i,
		        random() AS r_role, random() AS r_prov, random() AS r_ind, random() AS r_entry, random() AS r_day, random() AS r_life, random() AS r_skill, random() AS r_dist, random() AS r_indd
		 FROM range(%d) t(i)`, n),
		fmt.Sprintf(`INSERT INTO core.recruit (id, title, modified_at, run_id, source_object, first_seen_at, last_seen_at, is_open, closed_at,
		        province, regions, industry_category, industry_name, is_entry_level, role, is_data_role, posted_at, posted_date, closed_date, skills, synthetic)
		 WITH n AS (SELECT (SELECT count(*) FROM gen_prov) AS np, (SELECT count(*) FROM gen_ind) AS ni, (SELECT count(*) FROM gen_indd) AS nd),
		 g AS (
		   SELECT gen.*,
		     CASE WHEN r_role < 0.020 THEN 'data_engineer' WHEN r_role < 0.038 THEN 'data_analyst'
		          WHEN r_role < 0.052 THEN 'data_scientist' WHEN r_role < 0.064 THEN 'ml_engineer' END AS role,
		     TIMESTAMPTZ '%[1]s' - to_days(floor(r_day * %[2]d)::INTEGER) - INTERVAL 3 HOUR AS posted,
		     least(floor(pow(r_prov, 2.2) * n.np), n.np - 1) AS pi,
		     least(floor(pow(r_ind, 1.8) * n.ni), n.ni - 1) AS ii
		   FROM gen, n),
		 c AS (SELECT g.*, posted + to_days(7 + floor(r_life * 50)::INTEGER) AS closed FROM g)
		 SELECT 'gen-' || c.i, coalesce(c.role, '개발자'), c.posted, 'gen', 'gen', c.posted, c.posted,
		        c.closed > TIMESTAMPTZ '%[1]s', CASE WHEN c.closed <= TIMESTAMPTZ '%[1]s' THEN c.closed END,
		        p.p, CASE WHEN dist.full_name IS NOT NULL THEN [dist.full_name] END, ind.c, indd.name, c.r_entry < 0.45, c.role, c.role IS NOT NULL, c.posted, (c.posted + INTERVAL 9 HOUR)::DATE,
		        CASE WHEN c.closed <= TIMESTAMPTZ '%[1]s' THEN (c.closed + INTERVAL 9 HOUR)::DATE END,
		        list_slice(['SQL', 'Python', 'Spark', 'Airflow', 'AWS', 'Tableau', 'Kafka', 'R', 'PyTorch', 'Excel', 'Java', 'React'],
		                   1 + floor(c.r_skill * 6)::INTEGER, 4 + floor(c.r_skill * 6)::INTEGER),
		        true
		 FROM c CROSS JOIN n LEFT JOIN gen_prov p ON p.i = c.pi LEFT JOIN gen_ind ind ON ind.i = c.ii
		   LEFT JOIN (SELECT DISTINCT p, n FROM gen_dist) pn ON pn.p = p.p
		   LEFT JOIN gen_dist dist ON dist.p = p.p AND dist.i = least(floor(c.r_dist * pn.n), pn.n - 1)
		   LEFT JOIN gen_indd indd ON indd.i = least(floor(c.r_indd * n.nd), n.nd - 1)`, end.UTC().Format(time.RFC3339), days),
		`DELETE FROM core.open_postings_daily`,
		fmt.Sprintf(`INSERT INTO core.open_postings_daily
		 WITH ev AS (
		   SELECT posted_date AS d, coalesce(role, 'other') AS role, 1 AS c FROM core.recruit
		   UNION ALL SELECT closed_date, coalesce(role, 'other'), -1 FROM core.recruit WHERE closed_date IS NOT NULL),
		 daily AS (SELECT d, role, sum(c) AS c FROM ev WHERE role <> 'other' GROUP BY ALL
		           UNION ALL SELECT d, 'all', sum(c) FROM ev GROUP BY d),
		 -- Every day for every role: the open count carries over days
		 -- without events, as the loader counts it.
		 days AS (SELECT unnest(range(min(d)::TIMESTAMP, DATE '%[1]s'::TIMESTAMP + INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS d FROM ev),
		 grid AS (SELECT days.d, r.role, coalesce(daily.c, 0) AS c
		          FROM days CROSS JOIN (SELECT DISTINCT role FROM daily) r LEFT JOIN daily ON daily.d = days.d AND daily.role = r.role)
		 SELECT d, role, sum(c) OVER (PARTITION BY role ORDER BY d) FROM grid`, end.Format(time.DateOnly)),
		`DROP TABLE gen`,
		`CHECKPOINT`,
	}
	for _, q := range steps {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("dashboardtest: generate: %w\n%s", err, q)
		}
	}
	return nil
}
