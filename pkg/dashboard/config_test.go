package dashboard_test

import (
	"testing"

	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/warehouse/engine"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		kind    engine.Kind
		project string
		ok      bool
	}{
		{engine.DuckDB, "", true},
		{engine.BigQuery, "jp-prod", true},
		{engine.BigQuery, "", false},
	} {
		var c dashboard.Config
		c.Warehouse.Kind, c.Project = tc.kind, tc.project
		if err := c.Validate(); (err == nil) != tc.ok {
			t.Errorf("WAREHOUSE=%s GOOGLE_CLOUD_PROJECT=%q: Validate() = %v; want ok=%v", tc.kind, tc.project, err, tc.ok)
		}
	}
}
