#!/usr/bin/env bash
# Installs the system packages the tests use, when they are missing (Debian; needs root):
# Maven to build, curl for the run smoke test, Chromium for the page's browser tests
# (driven by Playwright for Java), jq for the README tours and script(1) for the client's
# terminal-mode test, and PostgreSQL's server for the cluster store's tests (they start their own
# server in a temporary folder; as root they run it as the 'postgres' user the package creates),
# and Prometheus's own readers of the metrics text: promtool (package prometheus; its server is not
# started by the tests) and the official Python client's parser (python3-prometheus-client).
set -euo pipefail
need=()
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || need+=(python3-prometheus-client)
have_pg_server() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
    || { command -v initdb && command -v pg_ctl && command -v postgres; } >/dev/null 2>&1
}
if ! have_pg_server || { [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; }; then
  need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests need these Debian packages: ${need[*]}; run as root or 'sudo apt-get install ${need[*]}'" >&2
    exit 1
  fi
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2
fi
