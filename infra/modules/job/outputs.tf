output "name" {
  value = google_cloud_run_v2_job.job.name
}

output "service_account" {
  value = google_service_account.job.email
}
