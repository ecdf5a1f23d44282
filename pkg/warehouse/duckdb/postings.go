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

// postingOrders are each sort's keys (the columns of postingColumns it
// orders by) and its ORDER BY; id breaks ties.
var postingOrders = map[string]struct{ keys, order string }{
	warehouse.SortPosted:       {`posted_at`, `posted_at DESC NULLS LAST, id`},
	warehouse.SortDeadline:     {`is_open, ` + warehouse.DeadlineSQL + ` AS deadline`, `is_open DESC, deadline IS NULL, deadline, id`},
	warehouse.SortViews:        {`coalesce(read_count, 0) AS views`, `views DESC, id`},
	warehouse.SortApplications: {`coalesce(apply_count, 0) AS apps`, `apps DESC, id`},
	warehouse.SortViewsPerDay: {`coalesce(read_count, 0) / greatest(1, date_diff('day', posted_date, coalesce(closed_date, $asof))) AS views_per_day`,
		`views_per_day DESC, id`},
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
		// The text, lowered, in the title and company lowered when the
		// posting was loaded (search_text: contains on it is several times
		// faster than matching every title without case). Each skill is its
		// own list_contains (list_has_any is several times slower).
		cond := `contains(search_text, $text)`
		args = append(args, sql.Named("text", strings.ToLower(q.Text)))
		for i, k := range q.Skills {
			name := fmt.Sprintf("skill%d", i)
			cond += ` OR list_contains(skills, $` + name + `)`
			args = append(args, sql.Named(name, k))
		}
		conds = append(conds, cond)
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
	if q.Sort == "" {
		q.Sort = warehouse.SortPosted
	}
	order, ok := postingOrders[q.Sort]
	if !ok {
		return warehouse.PostingPage{}, fmt.Errorf("duckdb.Postings: sort %q: want one of %v", q.Sort, warehouse.PostingSorts())
	}
	if q.Limit <= 0 || q.Limit > warehouse.MaxPageSize || q.Offset < 0 {
		return warehouse.PostingPage{}, fmt.Errorf("duckdb.Postings: page of %d from %d: want 1 to %d from 0 on", q.Limit, q.Offset, warehouse.MaxPageSize)
	}
	if _, err := s.Version(ctx); err != nil {
		return warehouse.PostingPage{}, err
	}
	where, args := postingWhere(q)
	// The page's columns are read for its rows only: the order is found
	// on each match's row and sort keys (a deep page sorts keys, not
	// whole rows). Without a search, the filters are cheap and evaluated
	// twice, for the count and for the page; a search is evaluated once,
	// its matches kept for both.
	page := warehouse.PostingPage{}
	pargs := append(args, sql.Named("asof", q.AsOf.Format(time.DateOnly)), sql.Named("limit", q.Limit), sql.Named("offset", q.Offset))
	matches := `SELECT rowid AS r, id, ` + order.keys + ` FROM src.core.recruit WHERE ` + where
	query := `WITH m AS (` + matches + `), p AS (SELECT r FROM m ORDER BY ` + order.order + ` LIMIT $limit OFFSET $offset)
	 SELECT ` + postingColumns + `, (SELECT count(*) FROM src.core.recruit WHERE ` + where + `)
	 FROM src.core.recruit WHERE rowid IN (SELECT r FROM p) ORDER BY ` + order.order
	if q.Text != "" {
		query = `WITH m AS MATERIALIZED (` + matches + `), p AS (SELECT r FROM m ORDER BY ` + order.order + ` LIMIT $limit OFFSET $offset)
		 SELECT ` + postingColumns + `, (SELECT count(*) FROM m)
		 FROM src.core.recruit WHERE rowid IN (SELECT r FROM p) ORDER BY ` + order.order
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, pargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r warehouse.PostingRow
			var regions duckdbdriver.Composite[[]string]
			var deadline sql.NullTime
			if err := rows.Scan(&r.ID, &r.Company, &r.Title, &regions, &r.Experience, &r.SalaryBand, &deadline, &r.CloseType,
				&r.Views, &r.Apps, &r.Posted, &r.Open, &r.DaysOpen, &r.ViewsPerDay, &r.URL, &r.Synthetic, &page.Total); err != nil {
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
		if err := rows.Err(); err != nil || len(page.Rows) > 0 || q.Offset == 0 {
			return err
		}
		// A page past the last: how many there are.
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM src.core.recruit WHERE `+where, args...).Scan(&page.Total)
	})
	if err != nil {
		return warehouse.PostingPage{}, fmt.Errorf("duckdb.Postings: %w", err)
	}
	return page, nil
}

// read runs f in a transaction over the file attached as src.
func (s *FileSnapshotter) read(ctx context.Context, f func(*sql.Tx) error) error {
	db, release, err := s.reader.attach(ctx, s.path)
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

// How long the file stays attached: concurrent reads share one
// attachment, which stays for linger after the last of them (so that a
// person paging through the grid reads from DuckDB's warm cache rather
// than the file's first pages again) and is made anew after hold, so
// that the loader, waiting for the file, gets it within seconds.
const (
	linger = time.Second
	hold   = 10 * time.Second
)

// reader is the in-memory DuckDB the reads attach the file to.
type reader struct {
	mu       sync.Mutex
	free     *sync.Cond // signalled when the last read of an attachment ends
	db       *sql.DB
	users    int
	attached time.Time   // zero: not attached
	idle     *time.Timer // detaches after linger
}

// attach makes sure path is attached as src for one more read, trying
// again while the loader holds it, and answers how to release it.
func (r *reader) attach(ctx context.Context, path string) (*sql.DB, func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.idle != nil {
		r.idle.Stop()
		r.idle = nil
	}
	if r.free == nil {
		r.free = sync.NewCond(&r.mu)
	}
	// An attachment past hold takes no new read: the reads using it end
	// (in milliseconds), it is let go, and the loader may take the file
	// in between, however busy the grid.
	for !r.attached.IsZero() && r.users > 0 && time.Since(r.attached) > hold {
		r.free.Wait()
	}
	if r.db == nil {
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return nil, nil, err
		}
		r.db = db
	}
	if !r.attached.IsZero() && r.users == 0 && time.Since(r.attached) > hold {
		r.detach()
	}
	if r.attached.IsZero() {
		stmt := `ATTACH '` + strings.ReplaceAll(path, `'`, `''`) + `' AS src (READ_ONLY)`
		_, _, err := retry.Do(ctx, retry.Policy{Initial: 50 * time.Millisecond, Max: 500 * time.Millisecond, MaxElapsed: 2 * time.Second, Retryable: isLockHeld},
			func() (struct{}, error) { _, err := r.db.ExecContext(ctx, stmt); return struct{}{}, err })
		if err != nil && isLockHeld(err) {
			return nil, nil, fmt.Errorf("%w (%s: %v)", warehouse.ErrWarehouseBusy, path, err)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", path, err)
		}
		r.attached = time.Now()
	}
	r.users++
	return r.db, r.release, nil
}

// release ends one read: the last detaches the file now if it has been
// attached for hold, else after linger unless another read comes.
func (r *reader) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.users--; r.users > 0 {
		return
	}
	r.free.Broadcast()
	if time.Since(r.attached) > hold {
		r.detach()
		return
	}
	var t *time.Timer
	t = time.AfterFunc(linger, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.idle == t && r.users == 0 {
			r.detach()
		}
	})
	r.idle = t
}

// detach lets the file go (r.mu held, no read using it).
func (r *reader) detach() {
	if r.attached.IsZero() {
		return
	}
	if _, err := r.db.ExecContext(context.Background(), `DETACH src`); err != nil {
		// The next read starts a fresh in-memory database rather than meet
		// an src still there.
		_ = r.db.Close()
		r.db = nil
	}
	r.attached, r.idle = time.Time{}, nil
}

// Close lets the file go and ends the reads' in-memory database.
func (s *FileSnapshotter) Close() error {
	r := &s.reader
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.idle != nil {
		r.idle.Stop()
	}
	if r.db == nil {
		return nil
	}
	r.detach()
	if r.db == nil {
		return nil
	}
	err := r.db.Close()
	r.db = nil
	return err
}
