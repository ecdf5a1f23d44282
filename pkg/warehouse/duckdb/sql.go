package duckdb

import (
	"embed"

	"jobpulse/pkg/warehouse/sqlrules"
)

// sqlFiles are DuckDB's own statements, those whose rules or shape differ
// from the other dialect's (../bigquery/DIFFERENCES.md).
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// statements are every statement DuckDB runs, by file name: its own and
// those it shares with the other dialect (package sqlrules), rendered once.
var statements = sqlrules.MustRender(sqlrules.DuckDB, sqlFiles)

// Each statement, as the code that runs it names it.
var (
	aggregatesSQL        = statements.Get("aggregates")
	batchChunkSQL        = statements.Get("batch_chunk")
	checkCertSQL         = statements.Get("check_certification")
	checkStagedSQL       = statements.Get("check_staged_recruit")
	checksAllSQL         = statements.Get("checks_all")
	checksBatchSQL       = statements.Get("checks_batch")
	checksCoreSQL        = statements.Get("checks_core")
	checksStagedSQL      = statements.Get("checks_staged")
	chunkBoundsSQL       = statements.Get("chunk_bounds")
	classifierInputSQL   = statements.Get("classifier_input")
	closeExpiredSQL      = statements.Get("close_expired")
	collectDatesSQL      = statements.Get("collect_dates")
	coreRecruitSQL       = statements.Get("core_recruit")
	countExpiredSQL      = statements.Get("count_expired")
	countMergeSQL        = statements.Get("count_merge_recruit")
	countRecruitSQL      = statements.Get("count_recruit")
	deleteMetaSQL        = statements.Get("delete_meta")
	deleteRolesSQL       = statements.Get("delete_roles")
	deleteStagedSQL      = statements.Get("delete_staged_recruit")
	dropWorkSQL          = statements.Get("drop_work")
	expiredChunkSQL      = statements.Get("expired_chunk")
	insertRolesSQL       = statements.Get("insert_roles")
	keepBatchSQL         = statements.Get("keep_batch")
	lastLoadsSQL         = statements.Get("last_loads")
	loadAsOfSQL          = statements.Get("load_as_of")
	mergeSQL             = statements.Get("merge_recruit")
	mergeTrendSQL        = statements.Get("merge_trend")
	metaVersionSQL       = statements.Get("meta_version")
	opsSchema            = statements.Get("ops")
	prepareBatchSQL      = statements.Get("prepare_batch")
	prepareRefreshSQL    = statements.Get("prepare_refresh")
	recordLoadSQL        = statements.Get("record_load")
	recordMetaVersionSQL = statements.Get("record_meta_version")
	recruitIDsSQL        = statements.Get("recruit_ids")
	rememberCoreSQL      = statements.Get("remember_core")
	replaceCertSQL       = statements.Get("replace_certification")
	replaceMetaSQL       = statements.Get("replace_meta")
	runPostingsSQL       = statements.Get("run_postings")
	schemaSQL            = statements.Get("schema")
	schemaIndicatorsSQL  = statements.Get("schema_indicators")
	selectRecruitSQL     = statements.Get("select_recruit")
	setRefreshClockSQL   = statements.Get("set_refresh_clock")
	stageCertSQL         = statements.Get("stage_certification")
	stageSQL             = statements.Get("stage_recruit")
	stageTrendSQL        = statements.Get("stage_trend")
	touchAllIDsSQL       = statements.Get("touch_all_ids")
	touchRunIDsSQL       = statements.Get("touch_run_ids")
)
