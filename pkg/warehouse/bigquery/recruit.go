package bigquery

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/warehouse"
)

var selectRecruitSQL = statements.Get("select_recruit")

// Recruit reads one posting as loaded, from external.recruit_table.
func (w *Warehouse) Recruit(ctx context.Context, id string) (warehouse.Recruit, error) {
	rows, err := read[recruitRow](ctx, w, "recruit", selectRecruitSQL, map[string]any{"id": id})
	if err != nil {
		return warehouse.Recruit{}, fmt.Errorf("bigquery.Recruit %q: %w", id, err)
	}
	if len(rows) == 0 {
		return warehouse.Recruit{}, fmt.Errorf("bigquery.Recruit %q: %w", id, warehouse.ErrNotFound)
	}
	return rows[0].recruit(), nil
}

// recruitRow is a row of select_recruit.sql. The columns that may be NULL
// read into bq.Null* values; REQUIRED ones into plain types, so a NULL or
// a column of another type is an error rather than a zero.
type recruitRow struct {
	ID             string           `bigquery:"id"`
	URL            bq.NullString    `bigquery:"url"`
	Active         bq.NullBool      `bigquery:"active"`
	CompanyName    bq.NullString    `bigquery:"company_name"`
	CompanyHref    bq.NullString    `bigquery:"company_href"`
	Title          bq.NullString    `bigquery:"title"`
	IndustryCode   bq.NullString    `bigquery:"industry_code"`
	IndustryName   bq.NullString    `bigquery:"industry_name"`
	LocationCodes  []string         `bigquery:"location_codes"`
	LocationNames  []string         `bigquery:"location_names"`
	JobTypeCodes   []string         `bigquery:"job_type_codes"`
	JobTypeNames   []string         `bigquery:"job_type_names"`
	JobMidCodes    []string         `bigquery:"job_mid_codes"`
	JobMidNames    []string         `bigquery:"job_mid_names"`
	JobCodes       []string         `bigquery:"job_codes"`
	JobCodeNames   []string         `bigquery:"job_code_names"`
	ExperienceCode bq.NullInt64     `bigquery:"experience_code"`
	ExperienceMin  bq.NullInt64     `bigquery:"experience_min"`
	ExperienceMax  bq.NullInt64     `bigquery:"experience_max"`
	ExperienceName bq.NullString    `bigquery:"experience_name"`
	EducationCode  bq.NullString    `bigquery:"education_code"`
	EducationName  bq.NullString    `bigquery:"education_name"`
	Keywords       []string         `bigquery:"keywords"`
	SalaryCode     bq.NullString    `bigquery:"salary_code"`
	SalaryName     bq.NullString    `bigquery:"salary_name"`
	PostedAt       bq.NullTimestamp `bigquery:"posted_at"`
	ModifiedAt     bq.NullTimestamp `bigquery:"modified_at"`
	OpeningAt      bq.NullTimestamp `bigquery:"opening_at"`
	ExpiresAt      bq.NullTimestamp `bigquery:"expires_at"`
	CloseTypeCode  bq.NullString    `bigquery:"close_type_code"`
	CloseTypeName  bq.NullString    `bigquery:"close_type_name"`
	ReadCount      bq.NullInt64     `bigquery:"read_count"`
	ApplyCount     bq.NullInt64     `bigquery:"apply_count"`
	Synthetic      bq.NullBool      `bigquery:"synthetic"`
	Extra          bq.NullString    `bigquery:"extra"`
	RawObject      bq.NullString    `bigquery:"raw_object"`
	RunID          string           `bigquery:"run_id"`
	SourceObject   string           `bigquery:"source_object"`
	FirstSeenAt    time.Time        `bigquery:"first_seen_at"`
	LastSeenAt     time.Time        `bigquery:"last_seen_at"`
	NullLists      []string         `bigquery:"null_lists"`
	Skills         []string         `bigquery:"skills"`
}

// recruit maps the row onto a Recruit. Lists named in null_lists were
// null when loaded and come back nil; the others come back as (possibly
// empty) slices.
func (r recruitRow) recruit() warehouse.Recruit {
	lst := func(name string, l []string) []string {
		if slices.Contains(r.NullLists, name) {
			return nil
		}
		if l == nil {
			return []string{}
		}
		return l
	}
	tp := func(t bq.NullTimestamp) *time.Time { return orNil(t.Timestamp.UTC(), t.Valid) }
	ip := func(n bq.NullInt64) *int64 { return orNil(n.Int64, n.Valid) }
	var rec warehouse.Recruit
	p := &rec.Posting
	p.ID, p.URL, p.CompanyName, p.CompanyHref = r.ID, r.URL.StringVal, r.CompanyName.StringVal, r.CompanyHref.StringVal
	p.Title, p.IndustryCode, p.IndustryName = r.Title.StringVal, r.IndustryCode.StringVal, r.IndustryName.StringVal
	p.Active = orNil(r.Active.Bool, r.Active.Valid)
	p.LocationCodes, p.LocationNames = lst("location_codes", r.LocationCodes), lst("location_names", r.LocationNames)
	p.JobTypeCodes, p.JobTypeNames = lst("job_type_codes", r.JobTypeCodes), lst("job_type_names", r.JobTypeNames)
	p.JobMidCodes, p.JobMidNames = lst("job_mid_codes", r.JobMidCodes), lst("job_mid_names", r.JobMidNames)
	p.JobCodes, p.JobCodeNames, p.Keywords = lst("job_codes", r.JobCodes), lst("job_code_names", r.JobCodeNames), lst("keywords", r.Keywords)
	p.Skills = lst("skills", r.Skills)
	p.ExperienceCode, p.ExperienceMin, p.ExperienceMax = ip(r.ExperienceCode), ip(r.ExperienceMin), ip(r.ExperienceMax)
	p.ExperienceName, p.EducationCode, p.EducationName = r.ExperienceName.StringVal, r.EducationCode.StringVal, r.EducationName.StringVal
	p.SalaryCode, p.SalaryName = r.SalaryCode.StringVal, r.SalaryName.StringVal
	if r.PostedAt.Valid {
		p.PostedAt = r.PostedAt.Timestamp.UTC()
	}
	if r.ModifiedAt.Valid {
		p.ModifiedAt = r.ModifiedAt.Timestamp.UTC()
	}
	p.OpeningAt, p.ExpiresAt = tp(r.OpeningAt), tp(r.ExpiresAt)
	p.CloseTypeCode, p.CloseTypeName = r.CloseTypeCode.StringVal, r.CloseTypeName.StringVal
	p.ReadCount, p.ApplyCount = ip(r.ReadCount), ip(r.ApplyCount)
	p.Synthetic = r.Synthetic.Bool
	if e := r.Extra.StringVal; e != "" && e != "null" {
		p.Extra = json.RawMessage(e)
	}
	p.SourceObject, p.RunID = r.RawObject.StringVal, r.RunID
	rec.LoadedFrom = r.SourceObject
	rec.FirstSeenAt, rec.LastSeenAt = r.FirstSeenAt.UTC(), r.LastSeenAt.UTC()
	return rec
}

// orNil points at v when valid, else is nil.
func orNil[T any](v T, valid bool) *T {
	if !valid {
		return nil
	}
	return &v
}
