variable "name" {
  description = "Name prefix"
  type        = string
}

variable "vpc_id" {
  description = "VPC id"
  type        = string
}

variable "vpc_cidr" {
  description = "VPC CIDR"
  type        = string
}

variable "admin_cidrs" {
  description = "CIDRs allowed to SSH to the master and reach the API server"
  type        = list(string)
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Internet-facing ALB: HTTP (redirect) and HTTPS in, NodePorts out"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-alb" }
}

resource "aws_security_group" "control_plane" {
  name        = "${var.name}-control-plane"
  description = "Kubernetes control plane (master)"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-control-plane" }
}

resource "aws_security_group" "worker" {
  name        = "${var.name}-worker"
  description = "Kubernetes worker nodes"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-worker", "kubernetes.io/cluster/${var.name}" = "owned" }
}

locals {
  # every rule, one place: [security group, description, protocol, from, to, source sg or null, cidrs]
  rules = {
    alb_http          = { sg = "alb", desc = "HTTP (redirected to HTTPS)", proto = "tcp", from = 80, to = 80, src = null, cidrs = ["0.0.0.0/0"] }
    alb_https         = { sg = "alb", desc = "HTTPS", proto = "tcp", from = 443, to = 443, src = null, cidrs = ["0.0.0.0/0"] }
    cp_api_admin      = { sg = "control_plane", desc = "kube-apiserver from admins", proto = "tcp", from = 6443, to = 6443, src = null, cidrs = var.admin_cidrs }
    cp_ssh_admin      = { sg = "control_plane", desc = "SSH (bastion) from admins", proto = "tcp", from = 22, to = 22, src = null, cidrs = var.admin_cidrs }
    cp_api_workers    = { sg = "control_plane", desc = "kube-apiserver from nodes", proto = "tcp", from = 6443, to = 6443, src = "worker", cidrs = null }
    cp_kubelet        = { sg = "control_plane", desc = "kubelet (metrics, logs) from monitoring", proto = "tcp", from = 10250, to = 10250, src = "worker", cidrs = null }
    cp_vxlan          = { sg = "control_plane", desc = "Calico VXLAN", proto = "udp", from = 4789, to = 4789, src = "worker", cidrs = null }
    cp_typha          = { sg = "control_plane", desc = "Calico Typha", proto = "tcp", from = 5473, to = 5473, src = "worker", cidrs = null }
    worker_nodeport   = { sg = "worker", desc = "NodePorts from the ALB", proto = "tcp", from = 30000, to = 32767, src = "alb", cidrs = null }
    worker_ssh        = { sg = "worker", desc = "SSH through the master", proto = "tcp", from = 22, to = 22, src = "control_plane", cidrs = null }
    worker_kubelet_cp = { sg = "worker", desc = "kubelet from the API server", proto = "tcp", from = 10250, to = 10250, src = "control_plane", cidrs = null }
    worker_kubelet    = { sg = "worker", desc = "kubelet from monitoring", proto = "tcp", from = 10250, to = 10250, src = "worker", cidrs = null }
    worker_vxlan_cp   = { sg = "worker", desc = "Calico VXLAN from the master", proto = "udp", from = 4789, to = 4789, src = "control_plane", cidrs = null }
    worker_vxlan      = { sg = "worker", desc = "Calico VXLAN between nodes", proto = "udp", from = 4789, to = 4789, src = "worker", cidrs = null }
    worker_typha      = { sg = "worker", desc = "Calico Typha", proto = "tcp", from = 5473, to = 5473, src = "worker", cidrs = null }
    worker_node_exp   = { sg = "worker", desc = "node-exporter from monitoring", proto = "tcp", from = 9100, to = 9100, src = "worker", cidrs = null }
  }
  sg_ids = {
    alb           = aws_security_group.alb.id
    control_plane = aws_security_group.control_plane.id
    worker        = aws_security_group.worker.id
  }
  sg_rules = { for k, r in local.rules : k => r if r.src != null || length(coalesce(r.cidrs, [])) > 0 }
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = { for k, r in local.sg_rules : k => r if r.src != null }

  security_group_id            = local.sg_ids[each.value.sg]
  description                  = each.value.desc
  ip_protocol                  = each.value.proto
  from_port                    = each.value.from
  to_port                      = each.value.to
  referenced_security_group_id = local.sg_ids[each.value.src]
}

resource "aws_vpc_security_group_ingress_rule" "cidr" {
  for_each = merge([
    for k, r in local.sg_rules : { for c in coalesce(r.cidrs, []) : "${k}-${c}" => merge(r, { cidr = c }) } if r.src == null
  ]...)

  security_group_id = local.sg_ids[each.value.sg]
  description       = each.value.desc
  ip_protocol       = each.value.proto
  from_port         = each.value.from
  to_port           = each.value.to
  cidr_ipv4         = each.value.cidr
}

resource "aws_vpc_security_group_egress_rule" "alb_to_nodes" {
  security_group_id            = aws_security_group.alb.id
  description                  = "NodePorts and health checks"
  ip_protocol                  = "tcp"
  from_port                    = 30000
  to_port                      = 32767
  referenced_security_group_id = aws_security_group.worker.id
}

resource "aws_vpc_security_group_egress_rule" "nodes_out" {
  for_each = { control_plane = aws_security_group.control_plane.id, worker = aws_security_group.worker.id }

  security_group_id = each.value
  description       = "package mirrors, image registries, AWS APIs, OpenAI (through the NAT gateway)"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

output "alb_sg_id" {
  description = "ALB security group (ALB controller --backend-security-group / annotation)"
  value       = aws_security_group.alb.id
}

output "control_plane_sg_id" {
  description = "Control plane security group"
  value       = aws_security_group.control_plane.id
}

output "worker_sg_id" {
  description = "Worker security group"
  value       = aws_security_group.worker.id
}
