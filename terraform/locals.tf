locals {
  # ARCHITECTURE.md §4: the 14 nodes. `workload` and `domain` become the Kubernetes node labels
  # (workload=<...>, domain=<...>) and the taint domain=<domain>:NoSchedule set by Ansible.
  nodes = {
    "master"           = { instance_type = "t3.large", workload = "control-plane", domain = "", volume_gb = 40 }
    "api-auth"         = { instance_type = "t3.micro", workload = "api", domain = "auth", volume_gb = 20 }
    "api-my"           = { instance_type = "t3.micro", workload = "api", domain = "my", volume_gb = 20 }
    "api-scan"         = { instance_type = "t3.small", workload = "api", domain = "scan", volume_gb = 20 }
    "api-character"    = { instance_type = "t3.micro", workload = "api", domain = "character", volume_gb = 20 }
    "api-location"     = { instance_type = "t3.micro", workload = "api", domain = "location", volume_gb = 20 }
    "api-info"         = { instance_type = "t3.micro", workload = "api", domain = "info", volume_gb = 20 }
    "api-chat"         = { instance_type = "t3.small", workload = "api", domain = "chat", volume_gb = 20 }
    "worker-storage"   = { instance_type = "t3.small", workload = "worker", domain = "storage", volume_gb = 30 }
    "worker-ai"        = { instance_type = "t3.small", workload = "worker", domain = "ai", volume_gb = 30 }
    "infra-postgresql" = { instance_type = "t3.small", workload = "infrastructure", domain = "postgresql", volume_gb = 30 }
    "infra-rabbitmq"   = { instance_type = "t3.small", workload = "infrastructure", domain = "rabbitmq", volume_gb = 30 }
    "infra-redis"      = { instance_type = "t3.micro", workload = "infrastructure", domain = "redis", volume_gb = 20 }
    "infra-monitoring" = { instance_type = "t3.small", workload = "infrastructure", domain = "monitoring", volume_gb = 40 }
  }

  # The nine deployments (k8s/overlays/*, app.kubernetes.io/name) each get a log group, plus
  # "unlabelled", where Fluent Bit writes a line whose pod carries no name label.
  log_groups = ["auth", "my", "scan", "character", "location", "info", "chat", "storage-worker", "ai-worker", "unlabelled"]

  api_host    = "api.${var.domain_name}"
  images_host = "images.${var.domain_name}"
}
