# Alerts about the pipeline that do not depend on the pipeline: log-based
# metrics on the lines the jobs write (ops.Signals; pkg/deploy checks that
# this list matches it) and on Google's own metrics, each policy notifying
# its own channel.
resource "google_monitoring_notification_channel" "email" {
  display_name = "jobpulse on-call"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
}

locals {
  # metric = [log filter, alert when]
  signals = {
    job_failed      = ["jsonPayload.alert=\"job_failed\"", "any"]
    job_succeeded   = ["jsonPayload.heartbeat=\"loader\"", "absent_12h"]
    check_failed    = ["jsonPayload.alert=\"check_failed\"", "any"]
    quarantine      = ["jsonPayload.alert=\"quarantine\"", "any"]
    keywords_failed = ["jsonPayload.alert=\"keywords_failed\"", "over_2_a_day"]
    extract_stopped = ["jsonPayload.alert=\"extract_stopped\"", "any"]
    shape_drift     = ["jsonPayload.alert=\"shape_drift\"", "any"]
    health_problem  = ["jsonPayload.alert=\"health_problem\"", "any"]
    notify_failed   = ["jsonPayload.alert=\"notify_failed\"", "any"]
  }
  any_line = { for k, v in local.signals : k => v if v[1] == "any" }
}

resource "google_logging_metric" "signal" {
  for_each = local.signals
  name     = "jobpulse_${each.key}"
  filter   = "resource.type=\"cloud_run_job\" AND ${each.value[0]}"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
}

resource "google_monitoring_alert_policy" "any_line" {
  for_each              = local.any_line
  display_name          = "jobpulse: ${each.key}"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "a ${each.key} line"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.signal[each.key].name}\" AND resource.type=\"cloud_run_job\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "keywords_failed" {
  display_name          = "jobpulse: keywords keep failing"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "more than 2 keywords_failed lines in 24 hours"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.signal["keywords_failed"].name}\" AND resource.type=\"cloud_run_job\""
      comparison      = "COMPARISON_GT"
      threshold_value = 2
      duration        = "0s"
      aggregations {
        alignment_period   = "86400s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "no_load" {
  display_name          = "jobpulse: no successful loader run in 12 hours"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "no loader heartbeat"
    condition_absent {
      filter   = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.signal["job_succeeded"].name}\" AND resource.type=\"cloud_run_job\""
      duration = "43200s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "execution_failed" {
  display_name          = "jobpulse: job execution failed"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "a failed execution"
    condition_threshold {
      filter          = "metric.type=\"run.googleapis.com/job/completed_execution_count\" AND resource.type=\"cloud_run_job\" AND metric.labels.result=\"failed\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "dead_letter" {
  display_name          = "jobpulse: dead-letter topic not empty"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "undelivered dead letters"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${google_pubsub_subscription.dead_letter.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "waiting" {
  for_each              = google_pubsub_subscription.drain
  display_name          = "jobpulse: messages waiting on ${each.key}"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "oldest unacknowledged message older than an hour"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\" AND resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${each.value.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 3600
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
}
