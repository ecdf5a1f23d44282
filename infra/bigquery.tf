# The warehouse's layers, and ops for the run history. The loader creates
# the tables (warehouse/bigquery's schema); the datasets are Terraform's.
locals {
  datasets = {
    staging  = "Every row of every batch as it arrived"
    external = "One row per posting, trend point and exam, corrected"
    meta     = "The API's code tables"
    core     = "What dashboards read"
    ops      = "The pipeline's own run history"
  }
}

resource "google_bigquery_dataset" "layer" {
  for_each    = local.datasets
  dataset_id  = each.key
  location    = var.region
  description = each.value
}
