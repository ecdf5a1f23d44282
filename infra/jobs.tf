# The three jobs. Each reads only what it needs: the environment below is
# checked against the configuration each job reads (pkg/deploy).
locals {
  common_env = {
    GOOGLE_CLOUD_PROJECT = var.project_id
    LAKE_BUCKET          = google_storage_bucket.lake.name
    LOG_FORMAT           = "json"
    SMTP_ADDR            = var.smtp_addr
    SMTP_FROM            = var.smtp_from
    SMTP_TO              = var.smtp_to
    SMTP_USERNAME        = var.smtp_username
  }
  notify_secrets = {
    SLACK_WEBHOOK_URL = google_secret_manager_secret.secret["slack-webhook-url"].secret_id
    SMTP_PASSWORD     = google_secret_manager_secret.secret["smtp-password"].secret_id
  }
}

module "extractor" {
  source  = "./modules/job"
  name    = "jobpulse-extractor"
  region  = var.region
  image   = "${var.image_repository}/extractor:${var.image_tag}"
  timeout = "3600s"
  env = merge(local.common_env, {
    RAW_TOPIC = google_pubsub_topic.raw.name
  })
  secrets = merge(local.notify_secrets, {
    SARAMIN_ACCESS_KEY = google_secret_manager_secret.secret["saramin-access-key"].secret_id
    QNET_SERVICE_KEY   = google_secret_manager_secret.secret["qnet-service-key"].secret_id
  })
}

module "transformer" {
  source  = "./modules/job"
  name    = "jobpulse-transformer"
  region  = var.region
  image   = "${var.image_repository}/transformer:${var.image_tag}"
  timeout = "1800s"
  env = merge(local.common_env, {
    RAW_SUBSCRIPTION = google_pubsub_subscription.drain["jobpulse-transformer"].name
    CLEAN_TOPIC      = google_pubsub_topic.clean.name
  })
  secrets = local.notify_secrets
}

module "loader" {
  source  = "./modules/job"
  name    = "jobpulse-loader"
  region  = var.region
  image   = "${var.image_repository}/loader:${var.image_tag}"
  timeout = "1800s"
  memory  = "1Gi"
  env = merge(local.common_env, {
    CLEAN_SUBSCRIPTION = google_pubsub_subscription.drain["jobpulse-loader"].name
    WAREHOUSE          = "bigquery"
    BQ_LOCATION        = var.region
  })
  secrets = local.notify_secrets
}

# The loader's binary again, for the scheduled health check and warehouse
# check: without retries, since a check that finds a problem exits 1 (or
# reports it) and a retry would only say it again.
module "checks" {
  source      = "./modules/job"
  name        = "jobpulse-checks"
  region      = var.region
  image       = "${var.image_repository}/loader:${var.image_tag}"
  timeout     = "600s"
  max_retries = 0
  env = merge(local.common_env, {
    DEAD_LETTER_SUBSCRIPTION = google_pubsub_subscription.dead_letter.name
    WAREHOUSE                = "bigquery"
    BQ_LOCATION              = var.region
  })
  secrets = local.notify_secrets
}

# Least privilege: each job's account may touch its own topics and
# subscriptions, the lake, and (the loader) the datasets.
resource "google_storage_bucket_iam_member" "lake" {
  for_each = { extractor = module.extractor, transformer = module.transformer, loader = module.loader, checks = module.checks }
  bucket   = google_storage_bucket.lake.name
  role     = "roles/storage.objectAdmin"
  member   = "serviceAccount:${each.value.service_account}"
}

resource "google_pubsub_topic_iam_member" "publishes" {
  for_each = {
    raw   = { topic = google_pubsub_topic.raw.id, sa = module.extractor.service_account }
    clean = { topic = google_pubsub_topic.clean.id, sa = module.transformer.service_account }
  }
  topic  = each.value.topic
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${each.value.sa}"
}

resource "google_pubsub_subscription_iam_member" "drains" {
  for_each = {
    transformer = { sub = google_pubsub_subscription.drain["jobpulse-transformer"].id, sa = module.transformer.service_account }
    loader      = { sub = google_pubsub_subscription.drain["jobpulse-loader"].id, sa = module.loader.service_account }
    dead_letter = { sub = google_pubsub_subscription.dead_letter.id, sa = module.checks.service_account }
  }
  subscription = each.value.sub
  role         = "roles/pubsub.subscriber"
  member       = "serviceAccount:${each.value.sa}"
}

# The loader and the checks ensure the tables and read and write them.
resource "google_bigquery_dataset_iam_member" "warehouse" {
  for_each   = { for p in setproduct(keys(local.datasets), ["loader", "checks"]) : "${p[0]}-${p[1]}" => p }
  dataset_id = google_bigquery_dataset.layer[each.value[0]].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${each.value[1] == "loader" ? module.loader.service_account : module.checks.service_account}"
}

resource "google_project_iam_member" "bigquery_jobs" {
  for_each = { loader = module.loader.service_account, checks = module.checks.service_account }
  project  = var.project_id
  role     = "roles/bigquery.jobUser"
  member   = "serviceAccount:${each.value}"
}
