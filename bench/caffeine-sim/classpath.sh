#!/usr/bin/env bash
# Prints the class path of Caffeine's simulator 3.2.4 (resolved once through the Maven wrapper,
# then cached in bench/caffeine-sim/target/classpath.txt).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/target/classpath.txt"
if [ ! -s "$out" ] || [ "$here/pom.xml" -nt "$out" ]; then
  . "$root/scripts/java-home.sh"
  triage_find_java
  export JAVA_HOME
  mkdir -p "$here/target"
  "$root/mvnw" -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out" >&2
fi
cat "$out"
