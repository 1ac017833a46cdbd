module "vpc" {
  source = "./modules/vpc"

  name               = var.cluster_name
  cidr               = var.vpc_cidr
  availability_zones = var.availability_zones
}

module "security_groups" {
  source = "./modules/security-groups"

  name        = var.cluster_name
  vpc_id      = module.vpc.vpc_id
  vpc_cidr    = var.vpc_cidr
  admin_cidrs = var.admin_cidrs
}

module "iam" {
  source = "./modules/iam"

  name              = var.cluster_name
  images_bucket_arn = module.s3_cdn.bucket_arn
  log_group_arns    = module.logs.log_group_arns
}

module "logs" {
  source = "./modules/logs"

  name              = var.cluster_name
  deployments       = toset(local.log_groups)
  retention_in_days = var.log_retention_days
}

module "nodes" {
  source = "./modules/ec2"

  cluster_name       = var.cluster_name
  nodes              = local.nodes
  ami_id             = var.ami_id
  ssh_key_name       = var.ssh_key_name
  public_subnet_ids  = module.vpc.public_subnet_ids
  private_subnet_ids = module.vpc.private_subnet_ids
  master_sg_id       = module.security_groups.control_plane_sg_id
  worker_sg_id       = module.security_groups.worker_sg_id
  master_profile     = module.iam.control_plane_instance_profile
  worker_profile     = module.iam.worker_instance_profile
}

module "dns_acm" {
  source = "./modules/dns-acm"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  domain_name  = var.domain_name
  api_host     = local.api_host
  images_host  = local.images_host
  alb_dns_name = var.alb_dns_name
  alb_zone_id  = var.alb_zone_id
}

module "s3_cdn" {
  source = "./modules/s3-cdn"

  bucket_name         = var.images_bucket_name
  app_origins         = var.app_origins
  images_host         = local.images_host
  cdn_certificate_arn = module.dns_acm.cdn_certificate_arn
}

resource "aws_route53_record" "images" {
  zone_id = module.dns_acm.zone_id
  name    = local.images_host
  type    = "A"

  alias {
    name                   = module.s3_cdn.cdn_domain_name
    zone_id                = module.s3_cdn.cdn_zone_id
    evaluate_target_health = false
  }
}
