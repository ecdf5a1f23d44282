# The lake: raw answers, clean files, quarantine, state and run records.
resource "google_storage_bucket" "lake" {
  name                        = "${var.project_id}-jobpulse-lake"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # Overwritten objects (a re-run rewrites the same names) stay recoverable.
  versioning {
    enabled = true
  }

  # Raw answers are the source of truth: kept, but moved to colder storage.
  lifecycle_rule {
    condition {
      age            = 30
      matches_prefix = ["raw/"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  # What was set aside is read within weeks, or never.
  lifecycle_rule {
    condition {
      age            = 180
      matches_prefix = ["quarantine/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}
