terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.us_east_1]
    }
  }
}

variable "domain_name" {
  description = "Public hosted zone"
  type        = string
}

variable "api_host" {
  description = "API host name (ALB)"
  type        = string
}

variable "images_host" {
  description = "Image CDN host name (CloudFront)"
  type        = string
}

variable "alb_dns_name" {
  description = "ALB DNS name; the api record is created once it is known"
  type        = string
}

variable "alb_zone_id" {
  description = "ALB hosted zone id"
  type        = string
}

resource "aws_route53_zone" "this" {
  name = var.domain_name
}

resource "aws_acm_certificate" "alb" {
  domain_name       = var.api_host
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate" "cdn" {
  provider          = aws.us_east_1
  domain_name       = var.images_host
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  validation = merge(
    { for o in aws_acm_certificate.alb.domain_validation_options : "alb-${o.domain_name}" => o },
    { for o in aws_acm_certificate.cdn.domain_validation_options : "cdn-${o.domain_name}" => o },
  )
}

resource "aws_route53_record" "validation" {
  for_each = local.validation

  zone_id         = aws_route53_zone.this.zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "alb" {
  certificate_arn         = aws_acm_certificate.alb.arn
  validation_record_fqdns = [for k, r in aws_route53_record.validation : r.fqdn if startswith(k, "alb-")]
}

resource "aws_acm_certificate_validation" "cdn" {
  provider                = aws.us_east_1
  certificate_arn         = aws_acm_certificate.cdn.arn
  validation_record_fqdns = [for k, r in aws_route53_record.validation : r.fqdn if startswith(k, "cdn-")]
}

resource "aws_route53_record" "api" {
  count   = var.alb_dns_name == "" ? 0 : 1
  zone_id = aws_route53_zone.this.zone_id
  name    = var.api_host
  type    = "A"

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = true
  }
}

output "zone_id" {
  description = "Hosted zone id"
  value       = aws_route53_zone.this.zone_id
}

output "alb_certificate_arn" {
  description = "Validated ACM certificate for the ALB"
  value       = aws_acm_certificate_validation.alb.certificate_arn
}

output "cdn_certificate_arn" {
  description = "Validated us-east-1 ACM certificate for CloudFront"
  value       = aws_acm_certificate_validation.cdn.certificate_arn
}
