package bigquery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/warehouse"
)

// invalidRowMarker starts the message check_staged_recruit.sql raises.
const invalidRowMarker = "jobpulse: invalid rows"

// loadScript assembles the script sql/load_recruit.sql for the given
// per-object load tables: the same steps, in the same order and mostly
// under the same file names, as the DuckDB implementation's load.go.
// rolesTable is the per-load table of the Go classifier's roles
// (classify_recruit_go.sql).
func loadScript(loadTables []string, rolesTable string) string {
	return assemble("load_recruit", loadTables,
		"{{roles_table}}", rolesTable)
}

// assemble fills the placeholders of the script name: {{load_tables}}
// with the union of the per-object load tables, each row tagged with its
// object's index; those given in pairs (placeholder and text); and every
// other {{file}} with the statement file.sql.
func assemble(name string, loadTables []string, pairs ...string) string {
	parts := make([]string, len(loadTables))
	for i, t := range loadTables {
		parts[i] = fmt.Sprintf("SELECT %d AS object_index, t.* FROM `%s` AS t", i, t)
	}
	// The first pair for a placeholder wins: those given, then the files.
	r := strings.NewReplacer(slices.Concat(
		[]string{"{{load_tables}}", strings.Join(parts, "\n    UNION ALL\n    ")}, pairs, placeholders)...)
	// Replace twice: the files (the stage steps) hold {{load_tables}}.
	return r.Replace(r.Replace(statements.Get(name)))
}

// placeholders are "{{file}}" and the statement file.sql, for every
// statement.
var placeholders = func() []string {
	var out []string
	for name, q := range statements {
		out = append(out, "{{"+name+"}}", q)
	}
	return out
}()

// LoadRecruit loads b in two steps. First one load job per object, from
// gs://bucket/object into a fresh table of its own in staging (explicit
// schema, NDJSON, unknown keys ignored, no bad record tolerated), so every
// row keeps the object it came from. Then one script
// (sql/load_recruit.sql), a single transaction: replace the run's rows in
// staging.recruit, check them, MERGE into external.recruit_table, close
// expired postings, rebuild core for the touched ids and dates, record the
// load. The objects are also read through src and classified in Go
// (WithClassifier), and one more load job uploads the roles into a per-load
// table the script takes them from (roles.go). A failed load job or script
// changes nothing; the per-load tables are dropped either way (and expire
// after a day if the process dies first).
func (w *Warehouse) LoadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (warehouse.Result, error) {
	if b.RunID == "" {
		return warehouse.Result{}, errors.New("bigquery.LoadRecruit: batch has no run id")
	}
	if w.bucket == "" {
		return warehouse.Result{}, errors.New("bigquery.LoadRecruit: no bucket (Option WithBucket)")
	}
	if src == nil && len(b.Objects) > 0 {
		return warehouse.Result{}, errors.New("bigquery.LoadRecruit: no Opener to read the objects to classify")
	}
	res, err := w.loadRecruit(ctx, b, src)
	if err != nil {
		return warehouse.Result{}, fmt.Errorf("bigquery.LoadRecruit run %s: %w", b.RunID, err)
	}
	return res, nil
}

func (w *Warehouse) loadRecruit(ctx context.Context, b warehouse.Batch, src warehouse.Opener) (res warehouse.Result, err error) {
	loadedAt := w.now().UTC().Truncate(time.Microsecond)
	prefix := "load_" + ident(b.RunID) + "_" + nonce()
	// The roles go into a table of their own, loaded while the objects are.
	rolesName := prefix + "_roles"
	rolesFull := w.project + ".staging." + rolesName
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = w.client.Dataset("staging").Table(rolesName).Delete(dctx)
	}()
	md := &bq.TableMetadata{Schema: rolesSchema, ExpirationTime: loadedAt.Add(loadTableTTL)}
	if err := w.client.Dataset("staging").Table(rolesName).Create(ctx, md); err != nil {
		return res, fmt.Errorf("create roles table %s: %w", rolesName, err)
	}
	var rolesErr error
	var wg sync.WaitGroup
	wg.Go(func() { rolesErr = w.loadRoles(ctx, b, src, rolesName) })
	full, staged, drop, err := w.loadObjects(ctx, "load", prefix, b, loadSchema, loadedAt)
	wg.Wait()
	defer drop()
	if err := errors.Join(err, rolesErr); err != nil {
		return res, err
	}
	res.Staged = staged
	if b.Rows > 0 && res.Staged != b.Rows {
		return res, fmt.Errorf("%w: staged %d rows, batch says %d", warehouse.ErrRowCount, res.Staged, b.Rows)
	}

	objects := append([]string{}, b.Objects...)
	rows, err := read[recruitAnswer](ctx, w, "merge_"+ident(b.RunID), loadScript(full, rolesFull), map[string]any{
		"run_id":      b.RunID,
		"source":      string(b.Source),
		"objects":     objects,
		"window_from": nullTime(b.WindowFrom),
		"window_to":   nullTime(b.WindowTo),
		"rows":        int64(b.Rows),
		"loaded_at":   loadedAt,
	})
	if err != nil {
		if strings.Contains(err.Error(), invalidRowMarker) {
			return res, fmt.Errorf("%w: %v", warehouse.ErrInvalidRow, err)
		}
		return res, fmt.Errorf("load script: %w", err)
	}
	if len(rows) == 0 {
		return res, errors.New("load script: no result row")
	}
	if s := rows[0].Staged; int(s) != res.Staged {
		return res, fmt.Errorf("load script staged %d rows, load jobs %d", s, res.Staged)
	}
	if res.Checks, err = scriptChecks(rows, func(r recruitAnswer) checked { return r.checked }); err != nil {
		return res, fmt.Errorf("load script: %w", err)
	}
	if rows[0].FailedChecks {
		// The script rolled back: nothing changed.
		return res, &warehouse.CheckError{RunID: b.RunID, Checks: res.Checks}
	}
	if len(res.Checks) == 0 {
		return res, errors.New("load script: no data check ran")
	}
	if err := rows[0].into(&res, "load script"); err != nil {
		return res, err
	}
	return res, nil
}

// recruitAnswer is a row of load_recruit.sql's answer.
type recruitAnswer struct {
	counts
	checked
}

// answer is a load script's answer row: its staged count is on every row.
type answer interface{ staged() int64 }

// counts are a load script's figures, on every row of its answer. The
// merge's counts are NULL when the checks stopped the script before the
// merge.
type counts struct {
	Staged    int64        `bigquery:"staged"`
	Inserted  bq.NullInt64 `bigquery:"inserted"`
	Updated   bq.NullInt64 `bigquery:"updated"`
	Unchanged bq.NullInt64 `bigquery:"unchanged"`
}

func (c counts) staged() int64 { return c.Staged }

// into sets res's counts from a script that went through: each merge
// count is then set, and a NULL one is an error, not a 0.
func (c counts) into(res *warehouse.Result, name string) error {
	for col, n := range map[string]bq.NullInt64{"inserted": c.Inserted, "updated": c.Updated, "unchanged": c.Unchanged} {
		if !n.Valid {
			return fmt.Errorf("%s: %s is NULL in a load that went through", name, col)
		}
	}
	res.Staged = int(c.Staged)
	res.Inserted, res.Updated, res.Unchanged = int(c.Inserted.Int64), int(c.Updated.Int64), int(c.Unchanged.Int64)
	return nil
}

// checked are the check columns of a load script's answer: whether a
// check failed (on every row), and one check per row (a row without a
// check name carries the counts only).
type checked struct {
	FailedChecks bool          `bigquery:"failed_checks"`
	CheckName    bq.NullString `bigquery:"check_name"`
	CheckLayer   bq.NullString `bigquery:"check_layer"`
	CheckFailed  bq.NullInt64  `bigquery:"check_failed"`
	CheckExample bq.NullString `bigquery:"check_example"`
}

// scriptChecks reads the checks from a load script's answer. A check
// whose failure count is NULL is an error: it must not read as passed.
func scriptChecks[T any](rows []T, of func(T) checked) ([]warehouse.Check, error) {
	var out []warehouse.Check
	for _, r := range rows {
		c := of(r)
		if !c.CheckName.Valid || c.CheckName.StringVal == "" {
			continue
		}
		if !c.CheckFailed.Valid {
			return nil, fmt.Errorf("check %s: check_failed is NULL", c.CheckName.StringVal)
		}
		out = append(out, warehouse.Check{Name: c.CheckName.StringVal, Layer: c.CheckLayer.StringVal,
			Failed: c.CheckFailed.Int64, Example: c.CheckExample.StringVal})
	}
	return out, nil
}

// loadObject runs one load job: gs://bucket/obj into the per-load table,
// read with schema, and returns how many rows it loaded. step labels the
// job (jobpulse_<step>_<run>_...).
func (w *Warehouse) loadObject(ctx context.Context, step, runID, obj, table string, schema bq.Schema) (int64, error) {
	src := bq.NewGCSReference("gs://" + w.bucket + "/" + obj)
	src.SourceFormat = bq.JSON
	src.Schema = schema
	src.IgnoreUnknownValues = true
	src.MaxBadRecords = 0
	l := w.client.Dataset("staging").Table(table).LoaderFrom(src)
	l.Location = w.location
	l.CreateDisposition = bq.CreateNever
	l.WriteDisposition = bq.WriteAppend
	l.JobIDConfig = bq.JobIDConfig{JobID: "jobpulse_" + step + "_" + ident(runID), AddJobIDSuffix: true}
	l.Labels = map[string]string{"app": "jobpulse", "step": step}
	job, err := l.Run(ctx)
	if err != nil {
		return 0, fmt.Errorf("load %s: start job: %w", obj, err)
	}
	st, err := job.Wait(ctx)
	if err != nil {
		return 0, fmt.Errorf("load %s: job %s: %w", obj, job.ID(), err)
	}
	if err := st.Err(); err != nil {
		return 0, fmt.Errorf("load %s: job %s: %w", obj, job.ID(), err)
	}
	var n int64
	if st.Statistics != nil {
		if ls, ok := st.Statistics.Details.(*bq.LoadStatistics); ok {
			n = ls.OutputRows
		}
	}
	return n, nil
}

// nullTime is a nullable TIMESTAMP parameter (the zero time is NULL).
func nullTime(t time.Time) bq.NullTimestamp {
	return bq.NullTimestamp{Timestamp: t.UTC(), Valid: !t.IsZero()}
}
