# The programs the local cluster runs, found or installed. Source it after cluster.sh.
# As root on Debian/Ubuntu the missing packages are installed with apt-get, as deploy/install-deps.sh does for the
# tests; anywhere else the functions say what to install and stop.

# mariadbd and mariadb-install-db live in /usr/sbin on Debian, which is not on every PATH.
have_program() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }

# install_packages PKG...: apt-get install as root, or explain and exit.
install_packages() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "installing: $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    return 0
  fi
  local etcd=""
  [ "$TOPO_KIND" = etcd ] && etcd=", and etcd 3.4+ (etcd)"
  cat >&2 <<MSG
up.sh: error: the local cluster needs these packages, which are not installed: $*
  On Debian/Ubuntu, as root:  apt-get update && apt-get install -y $*
  (or run ./deploy/local/up.sh once as root: it installs them itself).
  Elsewhere install MariaDB 10.11 or newer, server and client (mariadbd, mariadb-install-db, mariadb)$etcd,
  with your package manager, so that they are on PATH or in /usr/sbin; then run up.sh again. Each tablet runs
  its own mysqld, so the MariaDB server must be installed, but none needs to be running.
MSG
  exit 1
}

# ensure_programs TOPO_KIND: MariaDB server and client, and etcd for --topo etcd.
ensure_programs() {
  local missing=()
  have_program mariadbd || have_program mysqld || missing+=(mariadb-server)
  have_program mariadb-install-db || [[ " ${missing[*]} " == *" mariadb-server "* ]] || missing+=(mariadb-server)
  have_program mariadb || have_program mysql || missing+=(mariadb-client)
  if [ "$1" = etcd ]; then
    have_program etcd || missing+=(etcd-server)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    install_packages "${missing[@]}"
  fi
}

# ensure_maven: the build needs Maven.
ensure_maven() {
  have_program mvn || install_packages maven
}

etcd_binary() {
  command -v etcd 2>/dev/null || echo /usr/sbin/etcd
}
