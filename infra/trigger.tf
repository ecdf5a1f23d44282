# The next job starts when a message arrives. A Cloud Run job cannot be the
# target of Pub/Sub or Eventarc, so an Eventarc trigger on the topic starts a
# workflow that calls jobs:run without waiting (Google's documented pattern;
# no service of ours to run). The jobs drain their subscriptions, so a
# burst of messages starting several executions loads each batch once; the
# subscriptions keep Pub/Sub's retries and dead-lettering, and the health
# check (every 3 hours) sees a chain that stopped.
resource "google_service_account" "trigger" {
  account_id   = "jobpulse-trigger"
  display_name = "Eventarc and Workflows of jobpulse"
}

locals {
  chain = {
    transformer = { topic = google_pubsub_topic.raw.id, job = module.transformer.name }
    loader      = { topic = google_pubsub_topic.clean.id, job = module.loader.name }
  }
}

resource "google_workflows_workflow" "start" {
  for_each        = local.chain
  name            = "jobpulse-start-${each.key}"
  region          = var.region
  service_account = google_service_account.trigger.email
  # The provider protects workflows from deletion by default, which makes
  # `terraform destroy`, and any change that replaces a workflow, fail.
  deletion_protection = false
  source_contents     = <<-YAML
    main:
      params: [event]
      steps:
        - start:
            call: googleapis.run.v2.projects.locations.jobs.run
            args:
              name: projects/${var.project_id}/locations/${var.region}/jobs/${each.value.job}
              connector_params:
                skip_polling: true
            result: operation
        - done:
            return: $${operation.name}
  YAML
}

resource "google_eventarc_trigger" "message" {
  for_each        = local.chain
  name            = "jobpulse-${each.key}"
  location        = var.region
  service_account = google_service_account.trigger.email
  matching_criteria {
    attribute = "type"
    value     = "google.cloud.pubsub.topic.v1.messagePublished"
  }
  transport {
    pubsub {
      topic = each.value.topic
    }
  }
  destination {
    workflow = google_workflows_workflow.start[each.key].id
  }
}

# The trigger's account starts the workflows; a Pub/Sub trigger needs no
# roles/eventarc.eventReceiver (that role is for events of other sources).
resource "google_project_iam_member" "trigger" {
  project = var.project_id
  role    = "roles/workflows.invoker"
  member  = "serviceAccount:${google_service_account.trigger.email}"
}

resource "google_cloud_run_v2_job_iam_member" "trigger" {
  for_each = local.chain
  name     = each.value.job
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.trigger.email}"
}
