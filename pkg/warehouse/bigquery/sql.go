package bigquery

import (
	"embed"

	"jobpulse/pkg/warehouse/sqlrules"
)

// sqlFiles are BigQuery's own statements, those whose rules or shape differ
// from the other dialect's (../bigquery/DIFFERENCES.md).
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// statements are every statement BigQuery runs, by file name: its own and
// those it shares with the other dialect (package sqlrules), rendered once.
var statements = sqlrules.MustRender(sqlrules.BigQuery, sqlFiles)
