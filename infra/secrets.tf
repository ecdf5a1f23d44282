# The secrets' values are added by the operator (README, "Rotating a key"),
# never by Terraform: they stay out of the state.
locals {
  secrets = {
    saramin-access-key = "Saramin Open API access key"
    qnet-service-key   = "data.go.kr service key for Q-Net's statistics"
    slack-webhook-url  = "Slack incoming webhook of the pipeline's notifications"
    smtp-password      = "Password of the SMTP account that sends failure emails"
  }
}

resource "google_secret_manager_secret" "secret" {
  for_each  = local.secrets
  secret_id = each.key
  labels    = { app = "jobpulse" }
  annotations = {
    description = each.value
  }
  replication {
    auto {}
  }
}
