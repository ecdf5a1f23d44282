// Package lake is the pipeline's object store in Cloud Storage (or
// fake-gcs-server locally): raw API pages, clean load-ready files, quarantined
// records and the extractor's watermarks, under deterministic object names so
// that re-running a step overwrites instead of adding.
package lake
