# The chain: the extractor announces raw pages on jobpulse-raw, the
# transformer clean files on jobpulse-clean. The jobs pull their
# subscriptions; acknowledged messages are kept a week so that a
# subscription can be sought back (scripts/replay.sh).
locals {
  week = "604800s"
}

resource "google_pubsub_topic" "raw" {
  name                       = "jobpulse-raw"
  message_retention_duration = local.week
}

resource "google_pubsub_topic" "clean" {
  name                       = "jobpulse-clean"
  message_retention_duration = local.week
}

resource "google_pubsub_topic" "dead_letter" {
  name                       = "jobpulse-dead-letter"
  message_retention_duration = local.week
}

# The subscriptions the jobs drain, each on the topic before it.
locals {
  drains = {
    jobpulse-transformer = google_pubsub_topic.raw.id
    jobpulse-loader      = google_pubsub_topic.clean.id
  }
}

resource "google_pubsub_subscription" "drain" {
  for_each                   = local.drains
  name                       = each.key
  topic                      = each.value
  ack_deadline_seconds       = 600
  message_retention_duration = local.week
  retain_acked_messages      = true
  expiration_policy {
    ttl = ""
  }
  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }
  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = 5
  }
}

# Holds what was dead-lettered; only the health check looks at it.
resource "google_pubsub_subscription" "dead_letter" {
  name                       = "jobpulse-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = local.week
  expiration_policy {
    ttl = ""
  }
}

# Pub/Sub's own agent moves messages to the dead-letter topic.
locals {
  pubsub_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_forwarder" {
  for_each     = google_pubsub_subscription.drain
  subscription = each.value.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
