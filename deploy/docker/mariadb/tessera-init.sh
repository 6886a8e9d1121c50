# Sourced by the MariaDB image's entrypoint (from /docker-entrypoint-initdb.d) when it creates a fresh datadir.
# It creates what a Tessera tablet in external mode expects to find and never creates itself:
#   - the users vt_dba (administration, replication control), vt_app (queries; no privilege that bypasses
#     read_only) and vt_repl (what replicas log in with), with the passwords of the credentials file the tablet
#     reads too (TESSERA_DB_CREDENTIALS, default /etc/tessera/credentials/db-credentials.json);
#   - the sidecar database _vt and the keyspace's database TESSERA_DB_NAME (vt_<keyspace>).
# sql_log_bin=0: every server of a shard runs this on its own, so none of it may reach the binary log, where a
# replica would meet it as transactions its primary never had.

credentials=${TESSERA_DB_CREDENTIALS:-/etc/tessera/credentials/db-credentials.json}
: "${TESSERA_DB_NAME:?set TESSERA_DB_NAME to the keyspace database, e.g. vt_commerce}"

# The first password listed for a user in the credentials file ({"vt_dba": ["..."], ...}, one user per line).
tessera_password() {
  local password
  password=$(sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\[[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$credentials" | head -n1)
  if [ -z "$password" ]; then
    echo "tessera-init: no password for $1 in $credentials" >&2
    exit 1
  fi
  case "$password" in
    *\'* | *\\*)
      echo "tessera-init: the password of $1 in $credentials may not contain ' or \\" >&2
      exit 1
      ;;
  esac
  printf '%s' "$password"
}

dba_password=$(tessera_password vt_dba) || exit 1
app_password=$(tessera_password vt_app) || exit 1
repl_password=$(tessera_password vt_repl) || exit 1

# The entrypoint defines docker_process_sql when it sources this file; if the file was made executable and is run
# instead, talk to the init server over its socket as root.
if ! declare -F docker_process_sql >/dev/null; then
  docker_process_sql() { mariadb --protocol=socket -uroot -p"$MARIADB_ROOT_PASSWORD" "$@"; }
fi

docker_process_sql <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'vt_dba'@'%' IDENTIFIED BY '$dba_password';
GRANT ALL PRIVILEGES ON *.* TO 'vt_dba'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'vt_app'@'%' IDENTIFIED BY '$app_password';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE,
  SHOW VIEW, CREATE VIEW, TRIGGER, REFERENCES, CREATE ROUTINE, ALTER ROUTINE, EVENT, PROCESS, SHOW DATABASES, RELOAD
  ON *.* TO 'vt_app'@'%';
CREATE USER IF NOT EXISTS 'vt_repl'@'%' IDENTIFIED BY '$repl_password';
GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, BINLOG MONITOR ON *.* TO 'vt_repl'@'%';
CREATE DATABASE IF NOT EXISTS \`_vt\`;
CREATE DATABASE IF NOT EXISTS \`$TESSERA_DB_NAME\`;
SQL
