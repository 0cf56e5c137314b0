#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK that runs Neurite: JDK 25 if one is installed (its JIT makes the
# CPU engine several times faster, see DESIGN.md), else JAVA_HOME or `java` if they are 21+.
# Exits 2 with one line on stderr when none is found.
set -uo pipefail
version_of() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
candidates=()
for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    [ -x "$d/bin/java" ] && candidates+=("$d")
done
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for d in /usr/lib/jvm/*; do [ -x "$d/bin/java" ] && candidates+=("$d"); done
best=""; best_v=0
for d in "${candidates[@]}"; do
    v=$(version_of "$d"); v=${v%%.*}
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ] && [ -x "$d/bin/javac" ]; then best=$d; best_v=$v; fi
done
if [ -z "$best" ]; then
    echo "neurite: no JDK 21 or newer found (JDK 25 preferred); install one or set JAVA_HOME" >&2
    exit 2
fi
echo "$best"
