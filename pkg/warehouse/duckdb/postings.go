package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	duckdbdriver "github.com/duckdb/duckdb-go/v2"

	"jobpulse/pkg/retry"
	"jobpulse/pkg/warehouse"
)

var _ warehouse.PostingReader = (*FileSnapshotter)(nil)

// postingColumns are a page's columns (BigQuery: ../bigquery/postings.go).
// days_open counts KST days from posting to closing, or to the as-of day
// ($asof) while open, at least 1.
const postingColumns = `id, coalesce(company_name, ''), coalesce(title, ''), coalesce(regions, []::VARCHAR[]),
	` + warehouse.ExperienceSQL + `, coalesce(salary_band, ''),
	` + warehouse.DeadlineSQL + ` AS deadline, coalesce(close_type_name, ''),
	coalesce(read_count, 0) AS views, coalesce(apply_count, 0) AS apps, posted_at, is_open,
	greatest(1, date_diff('day', posted_date, coalesce(closed_date, $asof))) AS days_open,
	coalesce(read_count, 0) / greatest(1, date_diff('day', posted_date, coalesce(closed_date, $asof))) AS views_per_day,
	coalesce(url, ''), coalesce(synthetic, false)`

// postingOrders are the ORDER BY of each sort; id breaks ties.
var postingOrders = map[string]string{
	warehouse.SortPosted:       `posted_at DESC NULLS LAST, id`,
	warehouse.SortDeadline:     `is_open DESC, deadline IS NULL, deadline, id`,
	warehouse.SortViews:        `views DESC, id`,
	warehouse.SortApplications: `apps DESC, id`,
	warehouse.SortViewsPerDay:  `views_per_day DESC, id`,
}

// postingWhere is the WHERE clause of q and its named parameters: each
// filter q sets adds a fixed condition, every value a parameter.
func postingWhere(q warehouse.PostingQuery) (string, []any) {
	conds := []string{"posted_date IS NOT NULL"}
	var args []any
	add := func(cond, name string, v any) {
		conds = append(conds, cond)
		args = append(args, sql.Named(name, v))
	}
	if q.Role != "" {
		add(warehouse.RoleSQL+` = $role`, "role", q.Role)
	}
	if q.Entry {
		conds = append(conds, "is_entry_level")
	}
	if q.Province != "" {
		add(`list_contains(provinces, $province)`, "province", q.Province)
	}
	if q.District != "" {
		add(`list_contains(regions, $district)`, "district", q.District)
	}
	if q.Industry != "" {
		add(`industry_category = $industry`, "industry", q.Industry)
	}
	if q.IndustryDetail != "" {
		add(`industry_name = $industry_detail`, "industry_detail", q.IndustryDetail)
	}
	if q.Experience != "" {
		add(`(`+warehouse.ExperienceSQL+`) = $experience`, "experience", q.Experience)
	}
	if !q.From.IsZero() {
		add(`posted_date >= $from`, "from", q.From.Format(time.DateOnly))
	}
	if !q.To.IsZero() {
		add(`posted_date <= $to`, "to", q.To.Format(time.DateOnly))
	}
	if q.Text != "" {
		add(`(contains(lower(title), $text) OR contains(lower(company_name), $text) OR list_has_any(skills, $skills))`, "text", strings.ToLower(q.Text))
		args = append(args, sql.Named("skills", append([]string{}, q.Skills...)))
	}
	for i, c := range conds {
		conds[i] = "(" + c + ")"
	}
	return strings.Join(conds, " AND "), args
}

// Postings reads a page of postings from the file, attached read-only
// for the moment it takes (as Snapshot does): the count and the page in
// one transaction. While the loader holds the file it tries again a few
// times over about two seconds, then fails with
// warehouse.ErrWarehouseBusy.
func (s *FileSnapshotter) Postings(ctx context.Context, q warehouse.PostingQuery) (warehouse.PostingPage, error) {
	order, ok := postingOrders[q.Sort]
	if q.Sort == "" {
		order, ok = postingOrders[warehouse.SortPosted], true
	}
	if !ok {
		return warehouse.PostingPage{}, fmt.Errorf("postings: sort %q: want one of %v", q.Sort, warehouse.PostingSorts())
	}
	if q.Limit <= 0 || q.Limit > warehouse.MaxPageSize || q.Offset < 0 {
		return warehouse.PostingPage{}, fmt.Errorf("postings: page of %d from %d: want 1 to %d from 0 on", q.Limit, q.Offset, warehouse.MaxPageSize)
	}
	if _, err := s.Version(ctx); err != nil {
		return warehouse.PostingPage{}, err
	}
	where, args := postingWhere(q)
	var page warehouse.PostingPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM src.core.recruit WHERE `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		if page.Total <= int64(q.Offset) {
			return nil
		}
		pargs := append(args, sql.Named("asof", q.AsOf.Format(time.DateOnly)), sql.Named("limit", q.Limit), sql.Named("offset", q.Offset))
		rows, err := tx.QueryContext(ctx, `SELECT `+postingColumns+` FROM src.core.recruit WHERE `+where+
			` ORDER BY `+order+` LIMIT $limit OFFSET $offset`, pargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r warehouse.PostingRow
			var regions duckdbdriver.Composite[[]string]
			var deadline sql.NullTime
			if err := rows.Scan(&r.ID, &r.Company, &r.Title, &regions, &r.Experience, &r.SalaryBand, &deadline, &r.CloseType,
				&r.Views, &r.Apps, &r.Posted, &r.Open, &r.DaysOpen, &r.ViewsPerDay, &r.URL, &r.Synthetic); err != nil {
				return err
			}
			r.Regions = regions.Get()
			if deadline.Valid {
				t := deadline.Time.UTC()
				r.Deadline = &t
			}
			r.Posted = r.Posted.UTC()
			page.Rows = append(page.Rows, r)
		}
		return rows.Err()
	})
	if err != nil {
		return warehouse.PostingPage{}, fmt.Errorf("postings: %w", err)
	}
	return page, nil
}

// read runs f in a read-only transaction over the file attached as src.
// Concurrent reads share one attachment, made by the first and detached
// by the last, so that the file is held only while someone reads it.
func (s *FileSnapshotter) read(ctx context.Context, f func(*sql.Tx) error) error {
	db, release, err := s.attach(ctx)
	if err != nil {
		return err
	}
	defer release()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return f(tx)
}

// reader is the in-memory DuckDB the reads attach the file to, and how
// many reads use the attachment.
type reader struct {
	mu    sync.Mutex
	db    *sql.DB
	users int
}

// attach makes sure the file is attached as src for one more reader,
// trying again while the loader holds it.
func (s *FileSnapshotter) attach(ctx context.Context) (*sql.DB, func(), error) {
	r := &s.reader
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.db == nil {
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return nil, nil, err
		}
		r.db = db
	}
	if r.users == 0 {
		stmt := `ATTACH '` + strings.ReplaceAll(s.path, `'`, `''`) + `' AS src (READ_ONLY)`
		_, _, err := retry.Do(ctx, retry.Policy{Initial: 50 * time.Millisecond, Max: 500 * time.Millisecond, MaxElapsed: 2 * time.Second, Retryable: isLockHeld},
			func() (struct{}, error) { _, err := r.db.ExecContext(ctx, stmt); return struct{}{}, err })
		if err != nil && isLockHeld(err) {
			return nil, nil, fmt.Errorf("%w (%s: %v)", warehouse.ErrWarehouseBusy, s.path, err)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", s.path, err)
		}
	}
	r.users++
	return r.db, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.users--; r.users == 0 {
			_, _ = r.db.ExecContext(context.WithoutCancel(ctx), `DETACH src`)
		}
	}, nil
}

// Close ends the reads' in-memory database.
func (s *FileSnapshotter) Close() error {
	s.reader.mu.Lock()
	defer s.reader.mu.Unlock()
	if s.reader.db == nil {
		return nil
	}
	err := s.reader.db.Close()
	s.reader.db = nil
	return err
}
