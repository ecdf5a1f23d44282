package duckdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"jobpulse/pkg/warehouse"
)

// WithClassifier sets the role classifier (nil or none: warehouse.Classify, the
// rules of package role). It must be a pure function: core tables are
// rebuilt from its answers and replays must leave them unchanged.
func WithClassifier(c warehouse.Classifier) Option {
	return func(w *Warehouse) {
		if c != nil {
			w.classify = c
		}
	}
}

// prepareRefresh creates the refresh's work tables in tx and sets the
// warehouse clock.
func prepareRefresh(ctx context.Context, tx *sql.Tx, asOf sql.NullTime) error {
	if _, err := tx.ExecContext(ctx, prepareRefreshSQL); err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	if _, err := tx.ExecContext(ctx, setRefreshClockSQL, sql.Named("as_of", asOf)); err != nil {
		return fmt.Errorf("set clock: %w", err)
	}
	return nil
}

// refreshCore rebuilds the core rows of the ids in refresh_ids (whose old
// dates and rows collect_dates.sql and remember_core.sql must already have
// gathered): roles, core.recruit,
// core.datajob, then the aggregates of the touched dates.
func (w *Warehouse) refreshCore(ctx context.Context, tx *sql.Tx) error {
	if err := w.classifyRoles(ctx, tx); err != nil {
		return fmt.Errorf("classify: %w", err)
	}
	if err := execScript(ctx, tx, coreRecruitSQL); err != nil {
		return fmt.Errorf("core.recruit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, collectDatesSQL); err != nil {
		return fmt.Errorf("collect dates: %w", err)
	}
	if _, err := tx.ExecContext(ctx, aggregatesSQL); err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	return nil
}

// queryStrings returns the first column of a query's rows.
func queryStrings(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// rebuildAll rebuilds every core table from external (meta changed), a
// chunk of ids (WithChunkRows) at a time, each in its own transaction: a
// statement's memory follows the rows it builds, and one transaction's
// uncommitted rows stay in memory, so rebuilding every posting at once
// does not fit the loader's limit. Each chunk is a refresh of its ids as a
// load's is, so the core tables are consistent after each; a rebuild cut
// short is done again whole (refreshMeta).
func (w *Warehouse) rebuildAll(ctx context.Context) error {
	bounds, err := queryStrings(ctx, w.db, `SELECT id FROM external.recruit_table
		QUALIFY (row_number() OVER (ORDER BY id) - 1) % $rows = 0 ORDER BY id`, sql.Named("rows", int64(w.chunkRows)))
	if err != nil {
		return fmt.Errorf("chunks: %w", err)
	}
	if len(bounds) == 0 {
		bounds = []string{""} // no postings: the aggregates are rebuilt all the same
	}
	var asOf sql.NullTime
	if err := w.db.QueryRowContext(ctx, `SELECT max(as_of) FROM staging.recruit_loads`).Scan(&asOf); err != nil {
		return fmt.Errorf("clock: %w", err)
	}
	for i, from := range bounds {
		to := sql.NullString{}
		if i+1 < len(bounds) {
			to = sql.NullString{String: bounds[i+1], Valid: true}
		}
		err := w.inTxErr(ctx, func(tx *sql.Tx) error {
			if err := prepareRefresh(ctx, tx, asOf); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, touchAllIDsSQL, sql.Named("from", from), sql.Named("to", to)); err != nil {
				return fmt.Errorf("ids: %w", err)
			}
			for _, q := range []string{collectDatesSQL, rememberCoreSQL} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return w.refreshCore(ctx, tx)
		})
		if err != nil {
			return fmt.Errorf("ids from %q: %w", from, err)
		}
	}
	return nil
}

// classifyRoles writes external.recruit_role for the ids in refresh_ids.
func (w *Warehouse) classifyRoles(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, classifierInputSQL)
	if err != nil {
		return err
	}
	var ids []string
	var roles, groups []any
	for rows.Next() {
		var id, title string
		var jobCodes, jobCodeNames, keywords, mids stringList
		if err := rows.Scan(&id, &title, &jobCodes, &jobCodeNames, &keywords, &mids); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		r, g := w.classify(title, jobCodes, jobCodeNames, keywords, mids)
		roles = append(roles, orNull(r))
		groups = append(groups, orNull(g))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, deleteRolesSQL); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	idsJSON, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rolesJSON, err := json.Marshal(roles)
	if err != nil {
		return err
	}
	groupsJSON, err := json.Marshal(groups)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, insertRolesSQL, sql.Named("ids", string(idsJSON)), sql.Named("roles", string(rolesJSON)),
		sql.Named("groups", string(groupsJSON)))
	return err
}

// orNull is s, or nil (a JSON null) for "".
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// asOfOrNull is a time for a nullable TIMESTAMPTZ parameter.
func asOfOrNull(t sql.NullTime) any {
	if !t.Valid {
		return nil
	}
	return t.Time.UTC()
}
