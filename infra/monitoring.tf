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
  log_metric   = "metric.type=\"logging.googleapis.com/user/%s\" AND resource.type=\"cloud_run_job\""
  subscription = "metric.type=\"pubsub.googleapis.com/subscription/%s\" AND resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"%s\""

  # Every policy that fires when a value passes a threshold: a line of a
  # signal, keywords failing more than twice a day, a failed execution,
  # dead letters, messages waiting over an hour.
  thresholds = merge(
    { for k, v in local.signals : k => {
      title     = "jobpulse: ${k}"
      condition = "a ${k} line"
      filter    = format(local.log_metric, google_logging_metric.signal[k].name)
      threshold = 0
      duration  = "0s"
      period    = "300s"
      aligner   = "ALIGN_SUM"
    } if v[1] == "any" },
    {
      keywords_failed = {
        title     = "jobpulse: keywords keep failing"
        condition = "more than 2 keywords_failed lines in 24 hours"
        filter    = format(local.log_metric, google_logging_metric.signal["keywords_failed"].name)
        threshold = 2
        duration  = "0s"
        period    = "86400s"
        aligner   = "ALIGN_SUM"
      }
      execution_failed = {
        title     = "jobpulse: job execution failed"
        condition = "a failed execution"
        filter    = "metric.type=\"run.googleapis.com/job/completed_execution_count\" AND resource.type=\"cloud_run_job\" AND metric.labels.result=\"failed\""
        threshold = 0
        duration  = "0s"
        period    = "300s"
        aligner   = "ALIGN_SUM"
      }
      dead_letter = {
        title     = "jobpulse: dead-letter topic not empty"
        condition = "undelivered dead letters"
        filter    = format(local.subscription, "num_undelivered_messages", google_pubsub_subscription.dead_letter.name)
        threshold = 0
        duration  = "300s"
        period    = "300s"
        aligner   = "ALIGN_MAX"
      }
    },
    { for name, sub in google_pubsub_subscription.drain : "waiting_${name}" => {
      title     = "jobpulse: messages waiting on ${name}"
      condition = "oldest unacknowledged message older than an hour"
      filter    = format(local.subscription, "oldest_unacked_message_age", sub.name)
      threshold = 3600
      duration  = "300s"
      period    = "300s"
      aligner   = "ALIGN_MAX"
    } },
  )
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

# A log-based metric cannot be used by an alert policy for some minutes
# after it is created: the API answers 404 (terraform-provider-google issue
# 11102). The policies wait for the metrics, so one apply on an empty
# project succeeds; the wait is taken again only when a metric is added or
# replaced.
resource "time_sleep" "metrics_ready" {
  create_duration = "10m"
  triggers = {
    metrics = join(",", sort([for m in google_logging_metric.signal : m.id]))
  }
}

resource "google_monitoring_alert_policy" "threshold" {
  depends_on            = [time_sleep.metrics_ready]
  for_each              = local.thresholds
  display_name          = each.value.title
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = each.value.condition
    condition_threshold {
      filter          = each.value.filter
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold
      duration        = each.value.duration
      aggregations {
        alignment_period   = each.value.period
        per_series_aligner = each.value.aligner
      }
    }
  }
}

resource "google_monitoring_alert_policy" "no_load" {
  depends_on            = [time_sleep.metrics_ready]
  display_name          = "jobpulse: no successful loader run in 12 hours"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.email.id]
  conditions {
    display_name = "no loader heartbeat"
    condition_absent {
      filter   = format(local.log_metric, google_logging_metric.signal["job_succeeded"].name)
      duration = "43200s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }
}
