#!/usr/bin/env bash
# One-command cluster rebuild: terraform (14 nodes, network, DNS, certificates, bucket, CDN) then
# ansible (kubeadm cluster, add-ons, ArgoCD, which then deploys every overlay from git).
#
#   scripts/cluster/rebuild.sh [--plan-only] [--skip-terraform] [-- extra ansible-playbook args]
#
# Needs: terraform, ansible-playbook (+ collections kubernetes.core, community.general,
# ansible.posix), AWS credentials in the environment, the SSH key of var.ssh_key_name in the agent,
# and ansible/group_vars/all/vault.yml (see vault.example.yml) with ANSIBLE_VAULT_PASSWORD_FILE set.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tf_dir="${repo_root}/terraform"
ansible_dir="${repo_root}/ansible"
inventory="${ansible_dir}/inventory/hosts.ini"
plan_only=false
skip_terraform=false
ansible_args=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --plan-only) plan_only=true ;;
    --skip-terraform) skip_terraform=true ;;
    --) shift; ansible_args=("$@"); break ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '\n==> %s\n' "$*"; }

for tool in terraform ansible-playbook; do
  command -v "${tool}" >/dev/null || { echo "${tool} is required" >&2; exit 1; }
done

if [[ "${skip_terraform}" == false ]]; then
  log "terraform init"
  terraform -chdir="${tf_dir}" init -input=false
  log "terraform plan"
  terraform -chdir="${tf_dir}" plan -input=false -out=rebuild.tfplan
  if [[ "${plan_only}" == true ]]; then
    log "plan only: stopping before apply"
    exit 0
  fi
  log "terraform apply"
  terraform -chdir="${tf_dir}" apply -input=false rebuild.tfplan
  rm -f "${tf_dir}/rebuild.tfplan"
fi

log "rendering the Ansible inventory"
terraform -chdir="${tf_dir}" output -raw ansible_inventory >"${inventory}"

cert_arn=$(terraform -chdir="${tf_dir}" output -raw acm_certificate_arn)
if grep -q 'REPLACE-WITH-TERRAFORM-OUTPUT' "${repo_root}/k8s/components/api/alb-ingress.yaml"; then
  echo "NOTE: set alb.ingress.kubernetes.io/certificate-arn to ${cert_arn} in k8s/components/api/alb-ingress.yaml and push (ArgoCD deploys from git)" >&2
fi

log "waiting for SSH on the master"
master_ip=$(awk '/^\[masters\]/{getline; for (i = 1; i <= NF; i++) if ($i ~ /^ansible_host=/) {sub("ansible_host=", "", $i); print $i}}' "${inventory}")
for _ in $(seq 1 60); do
  if ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o ConnectTimeout=5 "ubuntu@${master_ip}" true 2>/dev/null; then
    break
  fi
  sleep 5
done

log "ansible site.yml"
cd "${ansible_dir}"
ansible-playbook -i "${inventory}" site.yml "${ansible_args[@]}"

log "done: ArgoCD now syncs k8s/overlays/* (kubectl -n argocd get applications)"
