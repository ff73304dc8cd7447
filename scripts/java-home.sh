# Sourced by ./jobline and ./test: points JAVA_HOME and PATH at a JDK 21 or newer, or stops with
# a message saying what to install. Looks at $JAVA_HOME, the java on PATH, then the usual folders.
jobline_jdk_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

jobline_find_jdk() {
  local c v best="" best_v=0
  local from_path=""
  if command -v java >/dev/null 2>&1; then
    from_path="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  for c in "${JAVA_HOME:-}" "$from_path" /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    v="$(jobline_jdk_version "$c" 2>/dev/null)" || continue
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && { [ "$c" = "${JAVA_HOME:-}" ] || [ "$v" -gt "$best_v" ]; }; then
      best="$c"; best_v="$v"
      [ "$c" = "${JAVA_HOME:-}" ] && break
    fi
  done
  [ -n "$best" ] && echo "$best"
}

JOBLINE_JDK="$(jobline_find_jdk || true)"
if [ -z "$JOBLINE_JDK" ]; then
  echo "jobline: needs a JDK 21 or newer and found none (looked at JAVA_HOME, the java on PATH and /usr/lib/jvm)." >&2
  echo "jobline: install one, for example 'apt-get install openjdk-21-jdk' (or Temurin 21+), or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$JOBLINE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "jobline: needs Apache Maven 3.8 or newer to build; install it with 'apt-get install maven'." >&2
  exit 1
fi
