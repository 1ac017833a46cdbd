variable "name" {
  description = "Name prefix"
  type        = string
}

variable "images_bucket_arn" {
  description = "Image bucket the workers read and write"
  type        = string
}

variable "log_group_arns" {
  description = "CloudWatch log groups Fluent Bit on the worker nodes writes the pods' logs into"
  type        = list(string)
}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "control_plane" {
  name               = "${var.name}-control-plane"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role" "worker" {
  name               = "${var.name}-worker"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

# SSM Session Manager on every node (break-glass access without SSH)
resource "aws_iam_role_policy_attachment" "ssm" {
  for_each   = { control_plane = aws_iam_role.control_plane.name, worker = aws_iam_role.worker.name }
  role       = each.value
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

# EBS CSI controller runs on the master
resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.control_plane.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# AWS Load Balancer Controller runs on the master (instance role)
data "aws_iam_policy_document" "alb_controller" {
  statement {
    sid = "Describe"
    actions = [
      "ec2:Describe*",
      "elasticloadbalancing:Describe*",
      "acm:ListCertificates",
      "acm:DescribeCertificate",
      "iam:ListServerCertificates",
      "iam:GetServerCertificate",
      "waf-regional:GetWebACLForResource",
      "wafv2:GetWebACLForResource",
      "shield:GetSubscriptionState",
      "cognito-idp:DescribeUserPoolClient",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "ServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }
  statement {
    sid = "SecurityGroups"
    actions = [
      "ec2:CreateSecurityGroup",
      "ec2:DeleteSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:CreateTags",
      "ec2:DeleteTags",
    ]
    resources = ["*"]
  }
  statement {
    sid = "LoadBalancers"
    actions = [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:DeleteRule",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets",
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags",
      "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "alb_controller" {
  name   = "aws-load-balancer-controller"
  role   = aws_iam_role.control_plane.id
  policy = data.aws_iam_policy_document.alb_controller.json
}

# scan (presign, existence checks), storage worker (normalise, thumbnails, delete) and AI worker (read)
data "aws_iam_policy_document" "images" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${var.images_bucket_arn}/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [var.images_bucket_arn]
  }
}

resource "aws_iam_role_policy" "worker_images" {
  name   = "images-bucket"
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.images.json
}

# Fluent Bit (DaemonSet on the api/worker nodes) ships the pods' logs. Terraform creates the groups
# with their retention, so writing streams into those groups is all the node role may do in CloudWatch
# Logs: no group creation, no retention change, no reads, no other group.
data "aws_iam_policy_document" "pod_logs" {
  statement {
    sid     = "WritePodLogStreams"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    # CreateLogStream is authorised on the group, PutLogEvents on its streams.
    resources = flatten([for arn in var.log_group_arns : [arn, "${arn}:log-stream:*"]])
  }
}

resource "aws_iam_role_policy" "worker_pod_logs" {
  name   = "pod-logs"
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.pod_logs.json
}

resource "aws_iam_instance_profile" "control_plane" {
  name = "${var.name}-control-plane"
  role = aws_iam_role.control_plane.name
}

resource "aws_iam_instance_profile" "worker" {
  name = "${var.name}-worker"
  role = aws_iam_role.worker.name
}

output "control_plane_instance_profile" {
  description = "Instance profile of the master"
  value       = aws_iam_instance_profile.control_plane.name
}

output "worker_instance_profile" {
  description = "Instance profile of the workers"
  value       = aws_iam_instance_profile.worker.name
}
