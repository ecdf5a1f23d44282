package bigquery

import (
	"context"
	"fmt"
	"strings"
	"time"

	bq "cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"

	"jobpulse/pkg/warehouse"
)

var _ warehouse.PostingReader = (*Warehouse)(nil)

// postingsWhere keeps the postings a PostingQuery asks for: every filter
// is a parameter, ” (or false) when not asked for, so that the text is
// the same for every request (DuckDB: ../duckdb/postings.go adds only the
// conditions asked for).
const postingsWhere = "WHERE posted_date IS NOT NULL\n" +
	"  AND (@role = '' OR " + warehouse.RoleSQL + " = @role)\n" +
	"  AND (NOT @entry OR is_entry_level)\n" +
	"  AND (@province = '' OR @province IN UNNEST(provinces))\n" +
	"  AND (@district = '' OR @district IN UNNEST(regions))\n" +
	"  AND (@industry = '' OR industry_category = @industry)\n" +
	"  AND (@industry_detail = '' OR industry_name = @industry_detail)\n" +
	"  AND (@experience = '' OR (" + warehouse.ExperienceSQL + ") = @experience)\n" +
	"  AND posted_date BETWEEN @from AND @to\n" +
	"  AND (@text = '' OR STRPOS(search_text, @text) > 0\n" +
	"       OR EXISTS (SELECT 1 FROM UNNEST(skills) AS skill WHERE skill IN UNNEST(@skills)))"

// postingsSQL reads a page of postings, with how many match in all; the
// ORDER BY (%s) is one of postingsOrders.
const postingsSQL = "-- A page of postings for the dashboard's grid\n" +
	"SELECT id, IFNULL(company_name, '') AS company, IFNULL(title, '') AS title, regions,\n" +
	"  " + warehouse.ExperienceSQL + " AS experience, IFNULL(salary_band, '') AS salary_band,\n" +
	"  " + warehouse.DeadlineSQL + " AS deadline, IFNULL(close_type_name, '') AS close_type,\n" +
	"  IFNULL(read_count, 0) AS views, IFNULL(apply_count, 0) AS apps, posted_at, is_open,\n" +
	"  GREATEST(1, DATE_DIFF(IFNULL(closed_date, @as_of), posted_date, DAY)) AS days_open,\n" +
	"  IFNULL(read_count, 0) / GREATEST(1, DATE_DIFF(IFNULL(closed_date, @as_of), posted_date, DAY)) AS views_per_day,\n" +
	"  IFNULL(url, '') AS url, IFNULL(synthetic, FALSE) AS synthetic, COUNT(*) OVER () AS total\n" +
	"FROM `core.recruit`\n" + postingsWhere + "\n" +
	"ORDER BY %s\nLIMIT @limit OFFSET @offset"

// postingsCountSQL counts the postings of a page past the last.
const postingsCountSQL = "-- How many postings the dashboard's grid holds\n" +
	"SELECT COUNT(*) AS total FROM `core.recruit`\n" + postingsWhere

// postingsOrders are the ORDER BY of each sort; id breaks ties.
var postingsOrders = map[string]string{
	warehouse.SortPosted:       "posted_at DESC, id",
	warehouse.SortDeadline:     "is_open DESC, deadline IS NULL, deadline, id",
	warehouse.SortViews:        "views DESC, id",
	warehouse.SortApplications: "apps DESC, id",
	warehouse.SortViewsPerDay:  "views_per_day DESC, id",
}

// Postings reads a page of postings in one query job (the total is a
// window over the matching rows); a page past the last counts them in a
// second.
func (w *Warehouse) Postings(ctx context.Context, q warehouse.PostingQuery) (warehouse.PostingPage, error) {
	order, ok := postingsOrders[q.Sort]
	if q.Sort == "" {
		order, ok = postingsOrders[warehouse.SortPosted], true
	}
	if !ok {
		return warehouse.PostingPage{}, fmt.Errorf("bigquery.Postings: sort %q: want one of %v", q.Sort, warehouse.PostingSorts())
	}
	if q.Limit <= 0 || q.Limit > warehouse.MaxPageSize || q.Offset < 0 {
		return warehouse.PostingPage{}, fmt.Errorf("bigquery.Postings: page of %d from %d: want 1 to %d from 0 on", q.Limit, q.Offset, warehouse.MaxPageSize)
	}
	day := func(t time.Time, def civil.Date) civil.Date {
		if t.IsZero() {
			return def
		}
		return civil.DateOf(t)
	}
	params := map[string]any{
		"role": q.Role, "entry": q.Entry, "province": q.Province, "district": q.District, "industry": q.Industry,
		"industry_detail": q.IndustryDetail, "experience": q.Experience,
		"from": day(q.From, civil.Date{Year: 1, Month: 1, Day: 1}), "to": day(q.To, civil.Date{Year: 9999, Month: 12, Day: 31}),
		"text": strings.ToLower(q.Text), "skills": append([]string{}, q.Skills...),
	}
	where := map[string]any{}
	for k, v := range params {
		where[k] = v
	}
	params["as_of"], params["limit"], params["offset"] = civil.DateOf(q.AsOf), int64(q.Limit), int64(q.Offset)
	var page warehouse.PostingPage
	i := 0
	err := w.each(ctx, "postings", fmt.Sprintf(postingsSQL, order), params, func(m map[string]bq.Value) error {
		r := row{m: m}
		p := warehouse.PostingRow{ID: r.str("id"), Company: r.str("company"), Title: r.str("title"), Experience: r.str("experience"),
			SalaryBand: r.str("salary_band"), CloseType: r.str("close_type"), Views: r.integer("views"), Apps: r.integer("apps"),
			Posted: r.timestamp("posted_at").UTC(), Open: r.boolean("is_open"), DaysOpen: r.integer("days_open"),
			ViewsPerDay: r.float("views_per_day"), URL: r.str("url"), Synthetic: r.boolean("synthetic")}
		regions, _ := m["regions"].([]bq.Value)
		for _, v := range regions {
			s, _ := v.(string)
			p.Regions = append(p.Regions, s)
		}
		if m["deadline"] != nil {
			t := r.timestamp("deadline").UTC()
			p.Deadline = &t
		}
		page.Total = r.integer("total")
		if r.err != nil {
			return fmt.Errorf("row %d: %w", i, r.err)
		}
		i++
		page.Rows = append(page.Rows, p)
		return nil
	})
	if err == nil && len(page.Rows) == 0 && q.Offset > 0 {
		err = w.each(ctx, "postings_count", postingsCountSQL, where, func(m map[string]bq.Value) error {
			r := row{m: m}
			page.Total = r.integer("total")
			return r.err
		})
	}
	if err != nil {
		return warehouse.PostingPage{}, fmt.Errorf("bigquery.Postings: %w", err)
	}
	return page, nil
}
