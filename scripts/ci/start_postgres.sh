#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print its URL on stdout.
#
#   export MURAGAT_TEST_PG_URL=$(bash scripts/ci/start_postgres.sh)
#
# Installs Debian's postgresql when missing, makes a cluster in $MURAGAT_PG_DATA
# (default /tmp/muragat-pg) owned by the `postgres` user when run as root (initdb refuses
# root), starts it on 127.0.0.1:$MURAGAT_PG_PORT (default 54329), and creates the user and
# database. Safe to run twice: a running server is reused. Everything but the URL goes to stderr.
set -euo pipefail

PORT=${MURAGAT_PG_PORT:-54329}
DATA=${MURAGAT_PG_DATA:-/tmp/muragat-pg}
DB=${MURAGAT_PG_DB:-muragat_test}
ROLE=${MURAGAT_PG_USER:-muragat}
PASSWORD=${MURAGAT_PG_PASSWORD:-muragat}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing postgresql from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DATA" postgres
  AS=(runuser -u postgres --)
else
  AS=()
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
  chmod 700 "$DATA"
  "${AS[@]}" "$BIN/initdb" -D "$DATA" -E UTF8 --locale=C.UTF-8 -U postgres -A trust >&2
fi

if ! "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" >&2
fi

psql_admin() { psql -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
  psql_admin -d postgres -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
  psql_admin -d postgres -c "CREATE DATABASE $DB OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0" >&2
fi

echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
