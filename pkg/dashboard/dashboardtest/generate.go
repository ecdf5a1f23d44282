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
		        random() AS r_role, random() AS r_prov, random() AS r_ind, random() AS r_entry, random() AS r_day, random() AS r_life, random() AS r_skill, random() AS r_dist, random() AS r_indd,
		        random() AS r_title, random() AS r_co, random() AS r_sal, random() AS r_close, random() AS r_views, random() AS r_years
		 FROM range(%d) t(i)`, n),
		fmt.Sprintf(`INSERT INTO core.recruit (id, title, modified_at, run_id, source_object, first_seen_at, last_seen_at, is_open, closed_at,
		        province, regions, industry_category, industry_name, is_entry_level, role, is_data_role, posted_at, posted_date, closed_date, skills, synthetic,
		        url, company_name, experience_code, experience_min, salary_code, salary_band, read_count, apply_count, expires_at, close_type_code, close_type_name,
		        it_group, search_text)
		 WITH n AS (SELECT (SELECT count(*) FROM gen_prov) AS np, (SELECT count(*) FROM gen_ind) AS ni, (SELECT count(*) FROM gen_indd) AS nd),
		 g AS (
		   SELECT gen.*,
		     CASE WHEN r_role < 0.020 THEN 'data_engineer' WHEN r_role < 0.038 THEN 'data_analyst'
		          WHEN r_role < 0.052 THEN 'data_scientist' WHEN r_role < 0.064 THEN 'ml_engineer' END AS role,
		     TIMESTAMPTZ '%[1]s' - to_days(floor(r_day * %[2]d)::INTEGER) - INTERVAL 3 HOUR AS posted,
		     least(floor(pow(r_prov, 2.2) * n.np), n.np - 1) AS pi,
		     least(floor(pow(r_ind, 1.8) * n.ni), n.ni - 1) AS ii
		   FROM gen, n),
		 c0 AS (
		   SELECT g.*, posted + to_days(7 + floor(r_life * 50)::INTEGER) AS closed,
		     -- Titles of the role (or of other work), in Korean or English.
		     CASE role
		       WHEN 'data_engineer' THEN ['데이터 엔지니어', 'Data Engineer', '빅데이터 플랫폼 엔지니어', '데이터 파이프라인 개발자 (Spark/Airflow)', 'Senior Data Engineer (Python)']
		       WHEN 'data_analyst' THEN ['데이터 분석가', 'Data Analyst', '비즈니스 데이터 분석 (SQL)', '그로스 데이터 분석가', 'BI Analyst (Tableau)']
		       WHEN 'data_scientist' THEN ['데이터 사이언티스트', 'Data Scientist', '추천 모델링 데이터 사이언티스트', 'Data Scientist (Python, R)']
		       WHEN 'ml_engineer' THEN ['머신러닝 엔지니어', 'ML Engineer (PyTorch)', 'MLOps 엔지니어', 'AI 모델 서빙 개발자']
		       ELSE ['백엔드 개발자 (Java/Spring)', 'Frontend Engineer (React)', '영업 관리 담당자', '회계 담당 (경력)', '생산직 사원',
		             'iOS 개발자', '인프라 엔지니어 (AWS)', '고객 상담 매니저', '웹 디자이너', 'QA 엔지니어', '물류 센터 관리자', 'Marketing Manager']
		     END AS titles,
		     CASE WHEN r_entry < 0.25 THEN 1 WHEN r_entry < 0.40 THEN 3 WHEN r_entry < 0.45 THEN 0 ELSE 2 END AS exp_code,
		     CASE WHEN r_close < 0.70 THEN '1' WHEN r_close < 0.85 THEN '3' WHEN r_close < 0.95 THEN '2' ELSE '4' END AS close_code
		   FROM g),
		 c1 AS (
		   SELECT c0.*,
		     ['(주)', '', '주식회사 ', ''][1 + floor(r_co * 4)::INTEGER] ||
		       ['네이버', '카카오', '쿠팡', '토스', '라인', '우아한형제들', '당근', '한빛', '스마트', '미래', 'Global', 'Blue', '대한', '오픈', '누리', '코리아'][1 + floor(r_co * 16 * 16)::INTEGER %% 16] ||
		       ['', '랩스', ' 테크', ' 솔루션', '소프트', ' 데이터', ' 시스템즈', ' 파트너스'][1 + floor(r_co * 16 * 16 * 8)::INTEGER %% 8] ||
		       CASE WHEN r_co * 1e6 %% 7 < 3 THEN ' ' || (floor(r_co * 1e6)::INTEGER %% 300)::VARCHAR ELSE '' END AS company
		   FROM c0),
		 c AS (
		   SELECT c1.*,
		     -- As Saramin's titles read: often the company first, the
		     -- conditions after.
		     CASE WHEN r_title * 100 %% 10 < 4 THEN '[' || company || '] ' ELSE '' END ||
		       titles[1 + floor(r_title * len(titles))::INTEGER] ||
		       [' 채용', ' (정규직)', ' 경력 채용 (3년 이상)', ' 신입/경력 모집', '', ' - 서울 근무, 주 5일'][1 + floor(r_title * 1000)::INTEGER %% 6] AS title,
		     -- Views grow with the days a posting is open, applications with views.
		     greatest(1, date_diff('day', posted, least(closed, TIMESTAMPTZ '%[1]s'))) AS days_open
		   FROM c1)
		 SELECT 'gen-' || c.i, c.title, c.posted, 'gen', 'gen', c.posted, c.posted,
		        c.closed > TIMESTAMPTZ '%[1]s', CASE WHEN c.closed <= TIMESTAMPTZ '%[1]s' THEN c.closed END,
		        p.p, CASE WHEN dist.full_name IS NOT NULL THEN [dist.full_name] END, ind.c, indd.name, c.r_entry < 0.45, c.role, c.role IS NOT NULL, c.posted, (c.posted + INTERVAL 9 HOUR)::DATE,
		        CASE WHEN c.closed <= TIMESTAMPTZ '%[1]s' THEN (c.closed + INTERVAL 9 HOUR)::DATE END,
		        list_slice(['SQL', 'Python', 'Spark', 'Airflow', 'AWS', 'Tableau', 'Kafka', 'R', 'PyTorch', 'Excel', 'Java', 'React'],
		                   1 + floor(c.r_skill * 6)::INTEGER, 4 + floor(c.r_skill * 6)::INTEGER),
		        true,
		        'https://saramin.synthetic.invalid/zf_user/jobs/relay/view?rec_idx=gen-' || c.i,
		        c.company,
		        c.exp_code, CASE WHEN c.exp_code = 2 THEN 1 + floor(c.r_years * 12)::INTEGER WHEN c.exp_code = 0 THEN 0 END,
		        CASE WHEN c.r_sal < 0.55 THEN '0' WHEN c.r_sal < 0.75 THEN '99' ELSE (11 + floor((c.r_sal - 0.75) * 40)::INTEGER)::VARCHAR END,
		        CASE WHEN c.r_sal < 0.55 THEN '회사내규에 따름' WHEN c.r_sal < 0.75 THEN '면접후 결정'
		             ELSE format('{:,}~{:,}만원', 2800 + 200 * floor((c.r_sal - 0.75) * 40)::INTEGER, 3000 + 200 * floor((c.r_sal - 0.75) * 40)::INTEGER) END,
		        floor(c.days_open * (3 + 40 * c.r_views * c.r_views))::BIGINT,
		        floor(c.days_open * (3 + 40 * c.r_views * c.r_views) * (0.01 + 0.08 * c.r_life))::BIGINT,
		        CASE c.close_code WHEN '2' THEN TIMESTAMPTZ '2032-12-31 15:00:00+00' WHEN '3' THEN TIMESTAMPTZ '2033-12-30 15:00:00+00' ELSE c.closed END,
		        c.close_code, CASE c.close_code WHEN '1' THEN '접수마감일' WHEN '2' THEN '채용시' WHEN '3' THEN '상시채용' ELSE '수시채용' END,
		        -- Outside the data roles, seven in ten postings are other IT work.
		        CASE WHEN c.role IS NULL THEN ['backend', 'backend', 'frontend', 'mobile', 'infra', 'security', 'other_it', NULL, NULL, NULL][1 + c.i %% 10] END,
		        lower(concat_ws(' ', c.title, c.company))
		 FROM c CROSS JOIN n LEFT JOIN gen_prov p ON p.i = c.pi LEFT JOIN gen_ind ind ON ind.i = c.ii
		   LEFT JOIN (SELECT DISTINCT p, n FROM gen_dist) pn ON pn.p = p.p
		   LEFT JOIN gen_dist dist ON dist.p = p.p AND dist.i = least(floor(c.r_dist * pn.n), pn.n - 1)
		   LEFT JOIN gen_indd indd ON indd.i = least(floor(c.r_indd * n.nd), n.nd - 1)
		 -- In the order the loader adds them: as they are posted.
		 ORDER BY c.posted, c.i`, end.UTC().Format(time.RFC3339), days),
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
