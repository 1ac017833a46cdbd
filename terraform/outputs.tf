output "nodes" {
  description = "Every node: private IP, public IP (master only), instance type and labels"
  value       = module.nodes.nodes
}

output "acm_certificate_arn" {
  description = "ACM certificate for the ALB (the Ingress certificate-arn annotation)"
  value       = module.dns_acm.alb_certificate_arn
}

output "images_bucket" {
  description = "S3 bucket for images (S3_BUCKET)"
  value       = module.s3_cdn.bucket_name
}

output "cdn_base_url" {
  description = "CDN_BASE_URL"
  value       = "https://${local.images_host}"
}

output "vpc_id" {
  description = "VPC id (ALB controller --aws-vpc-id)"
  value       = module.vpc.vpc_id
}

output "ansible_inventory" {
  description = "Ansible inventory (scripts/cluster/rebuild.sh writes it to ansible/inventory/hosts.ini)"
  value = templatefile("${path.module}/templates/inventory.ini.tftpl", {
    nodes        = module.nodes.nodes
    cluster_name = var.cluster_name
    region       = var.region
    vpc_id       = module.vpc.vpc_id
    acm_arn      = module.dns_acm.alb_certificate_arn
    bucket       = module.s3_cdn.bucket_name
  })
}
