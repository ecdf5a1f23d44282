package warehouse

import "jobpulse/pkg/saramin/codes"

// MetaTable is one meta table as the code tables give it, the same for
// every engine: rows as objects keyed by column. Columns lists them in
// order; Kinds names the columns that are not strings ("bool" or "int").
type MetaTable struct {
	Name    string
	Columns []string
	Kinds   map[string]string
	Rows    []map[string]any
}

// MetaTables turns the code tables into the meta tables' rows. Empty
// strings become NULL; salary bounds of 0 (the code tables' "none") too,
// except a band's lower bound of 0 (1,400 만원 이하).
func MetaTables(t *codes.Tables) []MetaTable {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	entryCols := []string{"code", "name", "source", "note"}
	entries := func(name string, es []codes.Entry) MetaTable {
		m := MetaTable{Name: name, Columns: entryCols}
		for _, e := range es {
			m.Rows = append(m.Rows, map[string]any{"code": e.Code, "name": str(e.Name), "source": str(e.Source), "note": str(e.Note)})
		}
		return m
	}
	loc := MetaTable{Name: "location", Columns: []string{"code", "province_code", "province", "name", "full_name", "is_province", "source", "note"},
		Kinds: map[string]string{"is_province": "bool"}}
	for _, l := range t.Locations {
		loc.Rows = append(loc.Rows, map[string]any{"code": l.Code, "province_code": l.ProvinceCode, "province": l.Province,
			"name": l.Name, "full_name": l.FullName(), "is_province": l.IsProvince(), "source": str(l.Source), "note": str(l.Note)})
	}
	ind := MetaTable{Name: "industries", Columns: []string{"code", "name", "category_code", "source", "note"}}
	for _, in := range t.Industries {
		ind.Rows = append(ind.Rows, map[string]any{"code": in.Code, "name": str(in.Name), "category_code": str(in.CategoryCode),
			"source": str(in.Source), "note": str(in.Note)})
	}
	jobs := MetaTable{Name: "job_codes", Columns: []string{"code", "name", "job_mid_code", "source", "note"}}
	for _, j := range t.JobCodes {
		jobs.Rows = append(jobs.Rows, map[string]any{"code": j.Code, "name": str(j.Name), "job_mid_code": str(j.JobMidCode),
			"source": str(j.Source), "note": str(j.Note)})
	}
	sal := MetaTable{Name: "salary", Columns: []string{"code", "name", "min_manwon", "max_manwon", "source", "note"},
		Kinds: map[string]string{"min_manwon": "int", "max_manwon": "int"}}
	for _, s := range t.Salaries {
		var lo, hi any
		if s.MaxManwon > 0 {
			lo, hi = s.MinManwon, s.MaxManwon
		} else if s.MinManwon > 0 {
			lo = s.MinManwon // open-ended band (1억원 이상)
		}
		sal.Rows = append(sal.Rows, map[string]any{"code": s.Code, "name": str(s.Name), "min_manwon": lo, "max_manwon": hi,
			"source": str(s.Source), "note": str(s.Note)})
	}
	return []MetaTable{
		loc, ind,
		entries("industry_categories", t.IndustryCategories),
		entries("job_mid", t.JobMids),
		jobs,
		entries("experiences", t.Experiences),
		entries("education", t.Educations),
		entries("job_types", t.JobTypes),
		sal,
		entries("close_types", t.CloseTypes),
	}
}
