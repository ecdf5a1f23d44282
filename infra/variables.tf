variable "project_id" {
  description = "GCP project that holds everything"
  type        = string
}

variable "region" {
  description = "Region of the bucket, the jobs, the scheduler and the workflows"
  type        = string
  default     = "asia-northeast3"
}

variable "image_repository" {
  description = "Artifact Registry repository the images are pushed to (REGION-docker.pkg.dev/PROJECT/REPO); scripts/deploy.sh sets it"
  type        = string
}

variable "image_tag" {
  description = "Tag of the job images to run"
  type        = string
}

variable "alert_email" {
  description = "Address Cloud Monitoring's alert policies notify, independently of the pipeline's own Slack and email"
  type        = string
}

variable "smtp_addr" {
  description = "host:port of the SMTP server for the pipeline's failure emails (empty: no email)"
  type        = string
  default     = ""
}

variable "smtp_from" {
  description = "Sender of the failure emails"
  type        = string
  default     = ""
}

variable "smtp_to" {
  description = "Comma-separated recipients of the failure emails"
  type        = string
  default     = ""
}

variable "smtp_username" {
  description = "SMTP user name (the password is the smtp-password secret)"
  type        = string
  default     = ""
}

variable "dashboard_public" {
  description = "Let anyone with the URL read the dashboard (false: only accounts granted roles/run.invoker)"
  type        = bool
  default     = true
}
