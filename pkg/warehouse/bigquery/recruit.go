package bigquery

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bq "cloud.google.com/go/bigquery"

	"jobpulse/pkg/warehouse"
)

//go:embed sql/select_recruit.sql
var selectRecruitSQL string

// Recruit reads one posting as loaded, from external.recruit_table.
func (w *Warehouse) Recruit(ctx context.Context, id string) (warehouse.Recruit, error) {
	rows, err := w.query(ctx, "recruit", selectRecruitSQL, map[string]any{"id": id})
	if err != nil {
		return warehouse.Recruit{}, fmt.Errorf("bigquery.Recruit %q: %w", id, err)
	}
	if len(rows) == 0 {
		return warehouse.Recruit{}, fmt.Errorf("bigquery.Recruit %q: %w", id, warehouse.ErrNotFound)
	}
	return recruitFromRow(rows[0]), nil
}

// recruitFromRow maps a select_recruit.sql row onto a Recruit. Lists named
// in null_lists were null when loaded and come back nil; the others come
// back as (possibly empty) slices.
func recruitFromRow(r map[string]bq.Value) warehouse.Recruit {
	str := func(k string) string { s, _ := r[k].(string); return s }
	tm := func(k string) time.Time { t, _ := r[k].(time.Time); return t.UTC() }
	tp := func(k string) *time.Time {
		if t, ok := r[k].(time.Time); ok {
			t = t.UTC()
			return &t
		}
		return nil
	}
	ip := func(k string) *int64 {
		if n, ok := r[k].(int64); ok {
			return &n
		}
		return nil
	}
	nulls := list(r["null_lists"])
	lst := func(k string) []string {
		if slices.Contains(nulls, k) {
			return nil
		}
		if l := list(r[k]); l != nil {
			return l
		}
		return []string{}
	}
	var rec warehouse.Recruit
	p := &rec.Posting
	p.ID, p.URL, p.CompanyName, p.CompanyHref = str("id"), str("url"), str("company_name"), str("company_href")
	p.Title, p.IndustryCode, p.IndustryName = str("title"), str("industry_code"), str("industry_name")
	if b, ok := r["active"].(bool); ok {
		p.Active = &b
	}
	p.LocationCodes, p.LocationNames = lst("location_codes"), lst("location_names")
	p.JobTypeCodes, p.JobTypeNames = lst("job_type_codes"), lst("job_type_names")
	p.JobMidCodes, p.JobMidNames = lst("job_mid_codes"), lst("job_mid_names")
	p.JobCodes, p.JobCodeNames, p.Keywords = lst("job_codes"), lst("job_code_names"), lst("keywords")
	p.ExperienceCode, p.ExperienceMin, p.ExperienceMax = ip("experience_code"), ip("experience_min"), ip("experience_max")
	p.ExperienceName, p.EducationCode, p.EducationName = str("experience_name"), str("education_code"), str("education_name")
	p.SalaryCode, p.SalaryName = str("salary_code"), str("salary_name")
	p.PostedAt, p.ModifiedAt, p.OpeningAt, p.ExpiresAt = tm("posted_at"), tm("modified_at"), tp("opening_at"), tp("expires_at")
	if _, ok := r["posted_at"].(time.Time); !ok {
		p.PostedAt = time.Time{}
	}
	p.CloseTypeCode, p.CloseTypeName = str("close_type_code"), str("close_type_name")
	p.ReadCount, p.ApplyCount = ip("read_count"), ip("apply_count")
	p.Synthetic, _ = r["synthetic"].(bool)
	if e := str("extra"); e != "" && e != "null" {
		p.Extra = json.RawMessage(e)
	}
	p.SourceObject, p.RunID = str("raw_object"), str("run_id")
	rec.LoadedFrom = str("source_object")
	rec.FirstSeenAt, rec.LastSeenAt = tm("first_seen_at"), tm("last_seen_at")
	return rec
}

// list turns a REPEATED STRING value into a slice (nil when empty).
func list(v bq.Value) []string {
	vs, _ := v.([]bq.Value)
	if len(vs) == 0 {
		return nil
	}
	out := make([]string, len(vs))
	for i, x := range vs {
		out[i], _ = x.(string)
	}
	return out
}
