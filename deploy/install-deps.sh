#!/usr/bin/env bash
# Installs the programs Tessera's tests run for real when they are missing: MariaDB 10.11 (server, client,
# backup), etcd (server, client), sysbench, openssl (test certificates) and Maven. On Debian/Ubuntu as root it installs them with apt-get;
# elsewhere it prints what to install and fails.
set -euo pipefail

declare -A PKG_OF=(
  [mariadbd]=mariadb-server [mariadb]=mariadb-client [mariadb-backup]=mariadb-backup
  [etcd]=etcd-server [etcdctl]=etcd-client [sysbench]=sysbench [mvn]=maven [openssl]=openssl
)
# mariadbd lives in /usr/sbin, which is not on every PATH.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

missing=()
for cmd in mariadbd mariadb mariadb-backup etcd etcdctl sysbench mvn openssl; do
  have "$cmd" || missing+=("${PKG_OF[$cmd]}")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
cat >&2 <<MSG
error: the tests need these packages, which are not installed: ${missing[*]}
  On Debian/Ubuntu, as root: apt-get update && apt-get install -y ${missing[*]}
  Elsewhere install MariaDB 10.11 (server, client, mariadb-backup), etcd 3.4+ (etcd, etcdctl), sysbench and
  Maven 3.8+ with your package manager, so that these commands are on PATH:
  mariadbd mariadb mariadb-backup etcd etcdctl sysbench mvn
MSG
exit 1
