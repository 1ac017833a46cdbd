# CloudWatch Logs for the pods: one log group per deployment, written by Fluent Bit
# (k8s/overlays/infrastructure/logging) as /<name>/<app.kubernetes.io/name>, one stream per pod.
# Terraform owns the groups and their retention, so the nodes only need to write into them.

variable "name" {
  description = "Log group prefix (the cluster name)"
  type        = string
}

variable "deployments" {
  description = "Deployments (app.kubernetes.io/name) that get a log group; plus Fluent Bit's fallback group"
  type        = set(string)
}

variable "retention_in_days" {
  description = "Days CloudWatch keeps pod logs"
  type        = number
}

resource "aws_cloudwatch_log_group" "deployment" {
  for_each = var.deployments

  name              = "/${var.name}/${each.key}"
  retention_in_days = var.retention_in_days
}

output "log_group_arns" {
  description = "ARNs of the pod log groups (without the trailing :*)"
  value       = [for group in aws_cloudwatch_log_group.deployment : group.arn]
}
