# The dashboard: a Cloud Run service (the one part that answers people, not
# a job) built with -tags cloud, so it reads BigQuery, not DuckDB. It keeps
# the aggregates it shows in memory and reads them again when one of the
# tables it reads changes (DASHBOARD_REFRESH), so BigQuery sees a handful of
# small queries per load, not one per page view. Its environment is checked
# against the configuration it reads (pkg/deploy).
locals {
  dashboard_env = {
    WAREHOUSE            = "bigquery"
    GOOGLE_CLOUD_PROJECT = var.project_id
    BQ_LOCATION          = var.region
    DASHBOARD_REFRESH    = "60s"
    LOG_FORMAT           = "json"
  }
  # The datasets holding the tables the snapshot reads
  # (bigquery.SnapshotTables): read-only.
  dashboard_datasets = ["core", "staging"]
}

resource "google_service_account" "dashboard" {
  account_id   = "jobpulse-dashboard"
  display_name = "Cloud Run service jobpulse-dashboard"
}

resource "google_cloud_run_v2_service" "dashboard" {
  name                = "jobpulse-dashboard"
  location            = var.region
  deletion_protection = false
  ingress             = "INGRESS_TRAFFIC_ALL"

  template {
    service_account = google_service_account.dashboard.email
    # Each instance holds its own snapshot: a few suffice, and none when
    # nobody looks (the first request then waits for the snapshot).
    scaling {
      min_instance_count = 0
      max_instance_count = 3
    }
    containers {
      image = "${var.image_repository}/dashboard:${var.image_tag}"
      resources {
        # A row per posting is read (district and industry detail differ)
        # while the previous snapshot still answers: over a million
        # postings the heap peaks near 0.5 GB during a read and keeps
        # about 55 MB (make bench).
        limits = {
          cpu    = "1"
          memory = "2Gi"
        }
        # CPU between requests too: the snapshot refreshes in the
        # background, which a throttled instance would starve.
        cpu_idle = false
      }
      dynamic "env" {
        for_each = local.dashboard_env
        content {
          name  = env.key
          value = env.value
        }
      }
      # The port opens at once; the service answers 503 until its first
      # read of BigQuery is done (before the first load, until the tables
      # exist). No liveness probe on /healthz: it is 503 until data exists,
      # and restarting would not bring any.
      startup_probe {
        period_seconds    = 5
        failure_threshold = 24
        tcp_socket {
          port = 8080
        }
      }
    }
  }
  depends_on = [google_bigquery_dataset_iam_member.dashboard, google_project_iam_member.dashboard_jobs]
}

resource "google_bigquery_dataset_iam_member" "dashboard" {
  for_each   = toset(local.dashboard_datasets)
  dataset_id = google_bigquery_dataset.layer[each.key].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.dashboard.email}"
}

resource "google_project_iam_member" "dashboard_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.dashboard.email}"
}

resource "google_cloud_run_v2_service_iam_member" "dashboard_public" {
  count    = var.dashboard_public ? 1 : 0
  name     = google_cloud_run_v2_service.dashboard.name
  location = google_cloud_run_v2_service.dashboard.location
  role     = "roles/run.invoker"
  member   = "allUsers"
}
