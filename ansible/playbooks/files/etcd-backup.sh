#!/usr/bin/env bash
# Snapshot etcd (kubeadm layout) and keep the last 7 snapshots.
set -euo pipefail

backup_dir=/var/backups/etcd
pki=/etc/kubernetes/pki/etcd
stamp=$(date -u +%Y%m%dT%H%M%SZ)

ETCDCTL_API=3 etcdctl \
  --endpoints=https://127.0.0.1:2379 \
  --cacert="${pki}/ca.crt" \
  --cert="${pki}/healthcheck-client.crt" \
  --key="${pki}/healthcheck-client.key" \
  snapshot save "${backup_dir}/etcd-${stamp}.db"

find "${backup_dir}" -name 'etcd-*.db' -type f -mtime +7 -delete
