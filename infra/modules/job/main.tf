# One Cloud Run job with its own service account: the environment it reads,
# the secrets it may read (and no others), and how it retries.
resource "google_service_account" "job" {
  account_id   = var.name
  display_name = "Cloud Run job ${var.name}"
}

resource "google_cloud_run_v2_job" "job" {
  name                = var.name
  location            = var.region
  deletion_protection = false
  # Cloud Run checks at creation that the account can read each secret.
  depends_on = [google_secret_manager_secret_iam_member.reads]

  template {
    task_count = 1 # see ../../README.md, "One task per execution"
    template {
      service_account = google_service_account.job.email
      timeout         = var.timeout
      max_retries     = var.max_retries

      containers {
        image = var.image
        resources {
          limits = {
            cpu    = var.cpu
            memory = var.memory
          }
        }
        dynamic "env" {
          for_each = var.env
          content {
            name  = env.key
            value = env.value
          }
        }
        dynamic "env" {
          for_each = var.secrets
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = env.value
                version = "latest"
              }
            }
          }
        }
      }
    }
  }
}

resource "google_secret_manager_secret_iam_member" "reads" {
  for_each  = var.secrets
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.job.email}"
}
