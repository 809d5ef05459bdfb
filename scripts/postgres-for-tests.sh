#!/usr/bin/env bash
# A PostgreSQL server for the tests (issue 18, item 5): the PostgreSQL store's contract suite and
# the service on PostgreSQL (test/support/postgres.ts) need one on 127.0.0.1:5432. Idempotent: it
# installs Debian's `postgresql` only when no server is installed, starts the cluster only when it
# is down, and makes the tests' login role only when it is missing. Run as root (CI, this machine).
#
# The role (SYNC_TEST_PG_ROLE, default sync_test) may create databases and nothing else: each test
# file makes its own database and drops it. Its password is a public test value, never a secret:
# the server listens on loopback only (Debian's default listen_addresses = 'localhost').
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

role="${SYNC_TEST_PG_ROLE:-sync_test}"
password="${SYNC_TEST_PG_PASSWORD:-sync_test}"

# .ci/run may install chromium beside this: apt's locks are then taken. Wait for them (bounded).
apt_waiting() {
  for _ in $(seq 1 60); do
    if "$@"; then return 0; fi
    echo "postgres-for-tests: apt busy, trying again: $*" >&2
    sleep 5
  done
  return 1
}

if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  echo 'postgres-for-tests: installing Debian postgresql'
  apt_waiting apt-get -o DPkg::Lock::Timeout=300 update
  apt_waiting apt-get -o DPkg::Lock::Timeout=300 install -y postgresql
fi

# The newest installed server's cluster (Debian's package makes `main` on install).
version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$version" main
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  pg_ctlcluster "$version" main start
fi

# Wait (bounded) until the server takes connections.
for _ in $(seq 1 60); do
  if runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p 5432; then break; fi
  sleep 0.5
done
runuser -u postgres -- pg_isready -h 127.0.0.1 -p 5432

# The role, made once. Identifiers and the password are quoted by psql (:"role", :'password').
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -X -d postgres \
  -v role="$role" -v password="$password" <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS missing \gset
\if :missing
CREATE ROLE :"role" LOGIN CREATEDB PASSWORD :'password';
-- Test databases are thrown away: a commit need not wait for its WAL flush.
ALTER ROLE :"role" SET synchronous_commit = off;
\endif
SQL
echo "postgres-for-tests: PostgreSQL $version on 127.0.0.1:5432, role $role ready"
