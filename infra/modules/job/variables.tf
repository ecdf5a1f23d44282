variable "name" {
  description = "Job and service account name"
  type        = string
}

variable "region" {
  type = string
}

variable "image" {
  description = "Container image"
  type        = string
}

variable "env" {
  description = "Environment variables, name to value"
  type        = map(string)
}

variable "secrets" {
  description = "Environment variables read from Secret Manager, name to secret id"
  type        = map(string)
  default     = {}
}

variable "timeout" {
  description = "Time one task may run"
  type        = string
}

variable "max_retries" {
  description = "Retries of a failed task"
  type        = number
  default     = 3
}

variable "cpu" {
  type    = string
  default = "1"
}

variable "memory" {
  type    = string
  default = "512Mi"
}
