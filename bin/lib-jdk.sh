# Sourced by bin/mvn and bin/orchestrion: finds a JDK 21 or newer, whatever the machine's default
# java is. Order: $JAVA_HOME if it is 21+, then the `java` on PATH if it is 21+, then the newest
# JDK 21+ under /usr/lib/jvm. After `use_jdk`, JAVA_HOME and PATH point at it.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
}

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local v; v=$(java_major "$JAVA_HOME/bin/java")
    if [ "${v:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    local home; home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    local v; v=$(java_major "$home/bin/java")
    if [ "${v:-0}" -ge 21 ]; then echo "$home"; return; fi
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d/bin/java")
    if [ "${v:-0}" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  [ -n "$best" ] && echo "$best"
}

# Exports JAVA_HOME and PATH for the JDK found, or explains how to install one and exits.
use_jdk() {
  local jdk
  jdk=$(pick_jdk || true)
  if [ -z "$jdk" ]; then
    cat >&2 <<'MSG'
Orchestrion needs a JDK 21 or newer, and none was found (checked JAVA_HOME, the javac on PATH
and /usr/lib/jvm). Install one, for example on Debian/Ubuntu:
    sudo apt-get install openjdk-21-jdk      (or any Temurin 21+ build)
then run this command again, or point JAVA_HOME at it.
MSG
    exit 1
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
}
