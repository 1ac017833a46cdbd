# Remote state in S3 with S3-native locking (Terraform >= 1.10). The bucket comes from bootstrap/.
terraform {
  backend "s3" {
    bucket       = "eco2-terraform-state"
    key          = "eco2/prod/terraform.tfstate"
    region       = "ap-northeast-2"
    encrypt      = true
    use_lockfile = true
  }
}
