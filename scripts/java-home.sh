# Sourced by ./build, ./test and ./triage: finds JDK 25+ (Temurin under /usr/lib/jvm) and exports JAVA_HOME.
triage_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] \
     && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    return 0
  fi
  local candidate
  for candidate in /usr/lib/jvm/temurin-2[5-9]-jdk* /usr/lib/jvm/temurin-[3-9][0-9]-jdk* /usr/lib/jvm/*-2[5-9]-*; do
    if [ -x "$candidate/bin/java" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "triage: JDK 25 not found. Install Temurin 25 under /usr/lib/jvm (or set JAVA_HOME to a JDK 25+)." >&2
  return 1
}
