output "lake_bucket" {
  value = google_storage_bucket.lake.name
}

output "jobs" {
  value = [module.extractor.name, module.transformer.name, module.loader.name, module.checks.name]
}

output "secrets" {
  description = "Add each secret's value: gcloud secrets versions add NAME --data-file=-"
  value       = [for s in google_secret_manager_secret.secret : s.secret_id]
}

output "dashboard_url" {
  value = google_cloud_run_v2_service.dashboard.uri
}
