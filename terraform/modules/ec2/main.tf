variable "cluster_name" {
  description = "Cluster name (tags)"
  type        = string
}

variable "nodes" {
  description = "name => {instance_type, workload, domain, volume_gb}"
  type = map(object({
    instance_type = string
    workload      = string
    domain        = string
    volume_gb     = number
  }))
}

variable "ami_id" {
  description = "AMI for every node"
  type        = string
}

variable "ssh_key_name" {
  description = "EC2 key pair"
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets (master)"
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Private subnets (every other node)"
  type        = list(string)
}

variable "master_sg_id" {
  description = "Control plane security group"
  type        = string
}

variable "worker_sg_id" {
  description = "Worker security group"
  type        = string
}

variable "master_profile" {
  description = "Instance profile of the master"
  type        = string
}

variable "worker_profile" {
  description = "Instance profile of the workers"
  type        = string
}

locals {
  names = sort(keys(var.nodes))
}

resource "aws_instance" "node" {
  for_each = var.nodes

  ami                    = var.ami_id
  instance_type          = each.value.instance_type
  key_name               = var.ssh_key_name
  subnet_id              = each.value.workload == "control-plane" ? var.public_subnet_ids[0] : var.private_subnet_ids[index(local.names, each.key) % length(var.private_subnet_ids)]
  vpc_security_group_ids = [each.value.workload == "control-plane" ? var.master_sg_id : var.worker_sg_id]
  iam_instance_profile   = each.value.workload == "control-plane" ? var.master_profile : var.worker_profile
  source_dest_check      = false # pod traffic (Calico VXLAN)

  root_block_device {
    volume_type           = "gp3"
    volume_size           = each.value.volume_gb
    encrypted             = true
    delete_on_termination = true
  }

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2 # pods reach IMDS (S3 credentials of the node role)
  }

  credit_specification {
    cpu_credits = "unlimited"
  }

  user_data = <<-EOT
    #!/bin/bash
    hostnamectl set-hostname ${each.key}
  EOT

  tags = {
    Name                                        = "${var.cluster_name}-${each.key}"
    "eco2/node"                                 = each.key
    "eco2/workload"                             = each.value.workload
    "eco2/domain"                               = each.value.domain
    "kubernetes.io/cluster/${var.cluster_name}" = "owned"
  }

  lifecycle {
    ignore_changes = [ami, user_data]
  }
}

resource "aws_eip" "master" {
  for_each = { for k, v in var.nodes : k => v if v.workload == "control-plane" }

  domain   = "vpc"
  instance = aws_instance.node[each.key].id
  tags     = { Name = "${var.cluster_name}-${each.key}" }
}

output "nodes" {
  description = "name => node facts for the inventory"
  value = {
    for k, i in aws_instance.node : k => {
      instance_id       = i.id
      instance_type     = i.instance_type
      private_ip        = i.private_ip
      public_ip         = try(aws_eip.master[k].public_ip, "")
      availability_zone = i.availability_zone
      workload          = var.nodes[k].workload
      domain            = var.nodes[k].domain
    }
  }
}
