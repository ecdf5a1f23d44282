# Cloud Scheduler starts the runs by calling the Run Admin API (jobs:run)
# with the arguments of each schedule; times are KST.
resource "google_service_account" "scheduler" {
  account_id   = "jobpulse-scheduler"
  display_name = "Cloud Scheduler of jobpulse"
}

locals {
  schedules = {
    saramin-hourly = { job = module.extractor.name, cron = "5 * * * *", args = ["--source=saramin"] }
    trends-daily   = { job = module.extractor.name, cron = "20 9 * * *", args = ["--source=trends"] }
    cert-weekly    = { job = module.extractor.name, cron = "40 9 * * 1", args = ["--source=cert"] }
    health-3hourly = { job = module.checks.name, cron = "50 */3 * * *", args = ["--health"] }
    check-3hourly  = { job = module.checks.name, cron = "55 */3 * * *", args = ["--check"] }
    # A message whose execution failed is nacked and waits: these sweeps
    # handle it again within ten minutes, and cost a look at the
    # subscription when nothing waits.
    transformer-sweep = { job = module.transformer.name, cron = "*/10 * * * *", args = ["--sweep"] }
    loader-sweep      = { job = module.loader.name, cron = "*/10 * * * *", args = ["--sweep"] }
  }
}

resource "google_cloud_scheduler_job" "run" {
  for_each         = local.schedules
  name             = "jobpulse-${each.key}"
  region           = var.region
  schedule         = each.value.cron
  time_zone        = "Asia/Seoul"
  attempt_deadline = "180s"
  retry_config {
    retry_count = 1
  }
  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${each.value.job}:run"
    body        = base64encode(jsonencode({ overrides = { containerOverrides = [{ args = each.value.args }] } }))
    headers     = { "Content-Type" = "application/json" }
    oauth_token {
      service_account_email = google_service_account.scheduler.email
    }
  }
}

resource "google_cloud_run_v2_job_iam_member" "scheduler" {
  for_each = toset([module.extractor.name, module.checks.name, module.transformer.name, module.loader.name])
  name     = each.value
  location = var.region
  role     = "roles/run.jobsExecutorWithOverrides"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}
