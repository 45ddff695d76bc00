#!/usr/bin/env bash
# PostgreSQL with pgbench: a small cluster on the file system under test (16 MiB of shared
# buffers, so the page cache and the disk do the work), TPC-B-like transactions from 4 clients.
#   triage capture --out pgbench.csv.gz -- workloads/pgbench.sh
. "$(dirname "$0")/lib.sh"
need pgbench postgresql-client
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  need /usr/lib/postgresql postgresql
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
workload_dir "${1:-}"
runas=""
if [ "$(id -u)" -eq 0 ]; then
  runas="runuser -u postgres --"
  chown postgres "$PWD"
fi
data="$PWD/pgdata"
$runas "$pgbin/initdb" -D "$data" -A trust -U postgres >/dev/null
cat >> "$data/postgresql.conf" <<CONF
shared_buffers = 16MB
listen_addresses = ''
unix_socket_directories = '$PWD'
fsync = on
CONF
trap '$runas "$pgbin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true' EXIT
$runas "$pgbin/pg_ctl" -D "$data" -l "$PWD/pg.log" -w start >/dev/null
$runas pgbench -h "$PWD" -U postgres -i -s 20 postgres >/dev/null 2>&1
$runas pgbench -h "$PWD" -U postgres -c 4 -j 2 -T "$(seconds 60)" postgres 2>&1 | grep -E "^tps|transactions actually" >&2
