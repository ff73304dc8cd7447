#!/usr/bin/env bash
# A throwaway PostgreSQL for trying the cluster on one machine, and for ./bench: a fresh server in a
# folder of its own, on a free loopback port, as the 'postgres' OS user when run as root (PostgreSQL
# refuses root). Prints the JDBC URL of a new database on it.
#   scripts/throwaway-postgres.sh start DIR    start a server in DIR (created), print its JDBC URL
#   scripts/throwaway-postgres.sh stop DIR     stop it (its files stay, remove them yourself)
# As root the server's files live in a /tmp/jobline-pg.* folder that DIR/server-dir names.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 3; }
bin="${JOBLINE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "throwaway-postgres: no PostgreSQL server programs found; install them ('apt-get install postgresql') or set JOBLINE_PG_BIN" >&2
  exit 1
fi
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
case "$cmd" in
  start)
    mkdir -p "$dir"
    home="$(cd "$dir" && pwd)"
    # why: as root the server runs as 'postgres', which may not reach DIR (under a private temp folder, say)
    if [ "$(id -u)" -eq 0 ]; then
      dir="$(mktemp -d /tmp/jobline-pg.XXXXXX)"
      chmod 755 "$dir"
      chown postgres "$dir"
      echo "$dir" > "$home/server-dir"
    else
      dir="$home"
    fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    pw="throwaway-$RANDOM$RANDOM"
    printf '%s\n' "$pw" > "$dir/.pw"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir/.pw"
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U jobline --pwfile="$dir/.pw" --auth=scram-sha-256 -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    PGPASSWORD="$pw" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U jobline -d postgres -c "CREATE DATABASE jobline" >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$port/jobline?user=jobline&password=$pw"
    ;;
  stop)
    [ -f "$dir/server-dir" ] && dir="$(cat "$dir/server-dir")"
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 3 ;;
esac
