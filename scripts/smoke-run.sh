#!/usr/bin/env bash
# CI check of the README's run command: ./jobline starts, prints its listening line, serves,
# and drains on SIGTERM. Bounded: gives up after 90 s.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"
out="$data/out.txt"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
"$here/jobline" --port 0 --data "$data" >"$out" 2>"$data/err.txt" &
pid=$!
for _ in $(seq 1 900); do
  grep -q '^Jobline listening on http://' "$out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$data/err.txt" >&2; echo "smoke: ./jobline exited early" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^Jobline listening on //p' "$out")"
[ -n "$url" ] || { echo "smoke: no listening line" >&2; exit 1; }
curl -fsS --max-time 10 "$url/health" | grep -q '"ok"'
curl -fsS --max-time 10 -X POST "$url/api/jobs" -d '{"type":"sleep","params":{"seconds":0.2}}' | grep -q '"queued"'
kill -TERM "$pid"
wait "$pid" || true
[ -f "$data/jobline.db" ] || { echo "smoke: no SQLite file in the data folder" >&2; exit 1; }
echo "smoke: ./jobline served $url from $data/jobline.db and stopped on SIGTERM"
