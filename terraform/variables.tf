variable "region" {
  description = "AWS region of the cluster"
  type        = string
  default     = "ap-northeast-2"
}

variable "cluster_name" {
  description = "Kubernetes cluster name (tags, ALB controller discovery)"
  type        = string
  default     = "eco2"
}

variable "vpc_cidr" {
  description = "VPC CIDR block"
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zones" {
  description = "Two AZs for the public (ALB) and private (nodes) subnets"
  type        = list(string)
  default     = ["ap-northeast-2a", "ap-northeast-2c"]
}

variable "ami_id" {
  description = "Ubuntu 22.04 LTS amd64 AMI for every node (pinned so a plan never replaces nodes by surprise)"
  type        = string
  default     = "ami-0c9c942bd7bf113a2"
}

variable "ssh_key_name" {
  description = "EC2 key pair used by Ansible"
  type        = string
  default     = "eco2-admin"
}

variable "admin_cidrs" {
  description = "CIDRs allowed to SSH to the master (bastion) and to reach the Kubernetes API"
  type        = list(string)
  default     = []
}

variable "domain_name" {
  description = "Public DNS zone (api.<domain> → ALB, images.<domain> → CloudFront)"
  type        = string
  default     = "eco2.example.com"
}

variable "app_origins" {
  description = "Browser origins allowed to PUT uploads to the image bucket (CORS)"
  type        = list(string)
  default     = ["https://eco2.example.com"]
}

variable "images_bucket_name" {
  description = "S3 bucket for user images"
  type        = string
  default     = "eco2-images-prod"
}

variable "alb_dns_name" {
  description = "DNS name of the ALB the AWS Load Balancer Controller created (empty until the first Ingress exists)"
  type        = string
  default     = ""
}

variable "alb_zone_id" {
  description = "Hosted zone id of that ALB"
  type        = string
  default     = ""
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the pods' logs (one group per deployment)"
  type        = number
  default     = 30
}
