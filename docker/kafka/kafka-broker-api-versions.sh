#!/usr/bin/env bash
# The official image's health check path, answered cheaply: compose runs it every few seconds on
# every broker, and a JVM per check would cost a core on a small machine. A KRaft broker accepts
# connections on its listener only once it serves, so a TCP connect to --bootstrap-server is the
# readiness the check needs. Exit 0 if it connects within 5 s, else 1.
set -uo pipefail
server=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bootstrap-server) server="${2:-}"; shift 2 ;;
    --bootstrap-server=*) server="${1#*=}"; shift ;;
    *) shift ;;
  esac
done
if [ -z "$server" ]; then
  echo "usage: kafka-broker-api-versions.sh --bootstrap-server HOST:PORT" >&2
  exit 2
fi
server="${server%%,*}"
host="${server%:*}"
port="${server##*:}"
if timeout 5 bash -c "exec 3<>/dev/tcp/${host}/${port}" 2>/dev/null; then
  echo "${server} accepts connections"
  exit 0
fi
echo "${server} does not accept connections" >&2
exit 1
