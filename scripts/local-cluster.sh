#!/usr/bin/env bash
# The docker-compose.yml topology without Docker: a Kafka broker process (`backstream broker`), a
# coordinator, N worker processes and a metrics tail, each a JVM of its own, with logs and pids
# under one folder.
#
#   scripts/local-cluster.sh up [N]       start broker, coordinator, metrics and N workers (default 2),
#                                         after clearing a stopped cluster's files from the folder
#   scripts/local-cluster.sh scale N      add workers, or SIGTERM the newest ones, while the run goes on
#   scripts/local-cluster.sh status       what is alive, the latest metrics row, the summary
#   scripts/local-cluster.sh logs [-f] [NAME]   the logs (NAME: broker, coordinator, metrics, worker-K)
#   scripts/local-cluster.sh wait [SECONDS]     until the coordinator has finished; prints the summary
#   scripts/local-cluster.sh down         stop everything (SIGTERM, then SIGKILL after a timeout)
#
# Environment:
#   BACKSTREAM_CLUSTER_DIR   the folder (default: runs/local-cluster in this checkout)
#   BACKSTREAM_BROKER_PORT, BACKSTREAM_BROKER_CONTROLLER_PORT   broker ports (9092, 9093; 0 = free)
#   BACKSTREAM_STOP_TIMEOUT  seconds between SIGTERM and SIGKILL (default 20)
#   BACKSTREAM_BIN           the backstream command (default: bin/backstream of this checkout)
#   BACKSTREAM_RUN, BACKSTREAM_STEPS, BACKSTREAM_SHARDS, ...   read by backstream itself
# The folder keeps: broker.log, coordinator.log, metrics.log, worker-K.log, *.pid, bootstrap,
# kafka/ (the broker's data, removed by down) and summary.json (the coordinator's --summary,
# with paramsSha256).
set -euo pipefail

if ((BASH_VERSINFO[0] < 4)); then
  echo "local-cluster: needs bash 4 or newer, this is $BASH_VERSION (macOS: brew install bash)" >&2
  exit 1
fi

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${BACKSTREAM_CLUSTER_DIR:-$home/runs/local-cluster}"
bin="${BACKSTREAM_BIN:-$home/bin/backstream}"
stop_timeout="${BACKSTREAM_STOP_TIMEOUT:-20}"
broker_wait=90

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

say() {
  echo "local-cluster: $*"
}

usage() {
  # The comment block at the top of this file, up to its first line of code.
  sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

is_count() {
  [[ "$1" =~ ^[0-9]+$ ]]
}

# True if the pid in file $1 is a live backstream process (not a recycled pid, not a zombie).
alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -d /proc ] && [ -e "/proc/$pid" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'backstream'
  else
    ps -p "$pid" -o args= 2>/dev/null | grep -q 'backstream'
  fi
}

# Starts `backstream ARGS...` in the background as NAME: NAME.log and NAME.pid in the folder.
start() {
  local name="$1"
  shift
  nohup "$bin" "$@" >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

# SIGTERM to every named process, then SIGKILL to those still alive after the timeout.
stop() {
  local name pid waited=0 left
  for name in "$@"; do
    if alive "$dir/$name.pid"; then
      kill -TERM "$(cat "$dir/$name.pid")" 2>/dev/null || true
    fi
  done
  while :; do
    left=()
    for name in "$@"; do
      if alive "$dir/$name.pid"; then
        left+=("$name")
      fi
    done
    [ ${#left[@]} -eq 0 ] && break
    if [ "$waited" -ge $((stop_timeout * 10)) ]; then
      for name in "${left[@]}"; do
        pid="$(cat "$dir/$name.pid")"
        say "$name (pid $pid) ignored SIGTERM for ${stop_timeout} s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
      done
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  for name in "$@"; do
    rm -f "$dir/$name.pid"
  done
}

# Every worker with a pid file (alive or not), oldest first.
all_workers() {
  local f
  for f in "$dir"/worker-*.pid; do
    if [ -f "$f" ]; then basename "$f" .pid; fi
  done | sort -t- -k2 -n
}

# The workers that are alive, oldest first.
live_workers() {
  local name
  for name in $(all_workers); do
    if alive "$dir/$name.pid"; then
      echo "$name"
    fi
  done
}

# One more than any worker this cluster has had (their logs stay), so that names are never reused.
next_worker_index() {
  local f k last=0
  for f in "$dir"/worker-*.log; do
    [ -f "$f" ] || continue
    k="${f##*/worker-}"
    k="${k%.log}"
    if is_count "$k" && [ "$k" -gt "$last" ]; then
      last="$k"
    fi
  done
  echo $((last + 1))
}

bootstrap() {
  [ -f "$dir/bootstrap" ] || die "no cluster in $dir (start one with: $0 up)"
  cat "$dir/bootstrap"
}

add_workers() {
  local n="$1" i k
  export BACKSTREAM_BOOTSTRAP
  BACKSTREAM_BOOTSTRAP="$(bootstrap)"
  for ((i = 0; i < n; i++)); do
    k="$(next_worker_index)"
    start "worker-$k" worker
    say "started worker-$k (pid $(cat "$dir/worker-$k.pid"))"
  done
}

# True if the dataset's four files are where backstream looks (DataCache: $BACKSTREAM_DATA/<dataset>,
# else ~/.cache/backstream/<dataset>), raw or gzip. The processes check their contents themselves.
dataset_present() {
  local folder f
  folder="${BACKSTREAM_DATA:-$HOME/.cache/backstream}/${BACKSTREAM_DATASET:-mnist}"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -f "$folder/$f" ] || [ -f "$folder/$f.gz" ] || return 1
  done
}

wait_for_broker() {
  local pid="$1" line hostport host port i
  for ((i = 0; i < broker_wait * 10; i++)); do
    line="$(grep -m1 -o 'Kafka broker serving at [0-9.:]*' "$dir/broker.log" 2>/dev/null || true)"
    if [ -n "$line" ]; then
      hostport="${line##* }"
      host="${hostport%:*}"
      port="${hostport##*:}"
      # It says so once it serves; check that the port accepts all the same.
      if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
        echo "$hostport"
        return 0
      fi
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "local-cluster: the broker exited before serving; the end of $dir/broker.log:" >&2
      tail -n 15 "$dir/broker.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "local-cluster: the broker did not accept connections within ${broker_wait} s; see $dir/broker.log" >&2
  return 1
}

cmd_up() {
  local n="${1:-${BACKSTREAM_WORKERS:-2}}" name hostport
  is_count "$n" || die "Invalid value '$n' for the worker count: must be a whole number, e.g. up 3"
  mkdir -p "$dir"
  for name in broker coordinator metrics $(live_workers); do
    if alive "$dir/$name.pid"; then
      die "a cluster is already running in $dir ($name, pid $(cat "$dir/$name.pid")); stop it with: $0 down"
    fi
  done
  if [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    say "clearing the previous cluster's files in $dir"
    rm -rf "${dir:?}"/kafka "$dir"/*.log "$dir"/*.pid "$dir"/bootstrap "$dir"/summary.json
  fi
  # One build (bin/backstream builds the jar on first use) and one dataset fetch, before any
  # process starts: N processes must not build or download at once.
  "$bin" --version >/dev/null || die "cannot run $bin"
  if ! dataset_present; then
    say "fetching the dataset first (log $dir/data.log)"
    "$bin" data fetch >"$dir/data.log" 2>&1 || { tail -n 15 "$dir/data.log" >&2; die "the dataset is not available; see $dir/data.log"; }
  fi

  start broker broker --data "$dir/kafka"
  say "broker starting (pid $(cat "$dir/broker.pid")), log $dir/broker.log"
  if ! hostport="$(wait_for_broker "$(cat "$dir/broker.pid")")"; then
    stop broker
    die "no cluster started"
  fi
  echo "$hostport" >"$dir/bootstrap"
  say "broker serving at $hostport"

  export BACKSTREAM_BOOTSTRAP="$hostport"
  start coordinator coordinator --summary "$dir/summary.json"
  say "started coordinator (pid $(cat "$dir/coordinator.pid")), run '${BACKSTREAM_RUN:-default}'"
  start metrics metrics --follow
  say "started metrics (pid $(cat "$dir/metrics.pid"))"
  add_workers "$n"
  say "up: $n worker(s); '$0 status' shows progress, '$0 down' stops everything"
}

cmd_scale() {
  local n="${1:-}" workers have
  is_count "$n" || die "Invalid value '${n}' for scale: must be a whole number of workers, e.g. scale 4"
  alive "$dir/broker.pid" || die "no broker is running in $dir (start a cluster with: $0 up)"
  mapfile -t workers < <(live_workers)
  have=${#workers[@]}
  if [ "$n" -gt "$have" ]; then
    add_workers $((n - have))
  elif [ "$n" -lt "$have" ]; then
    # The newest leave first: each says goodbye on SIGTERM and its shards are handed out at once.
    local leaving=("${workers[@]:n}")
    say "stopping ${leaving[*]} (SIGTERM)"
    stop "${leaving[@]}"
  fi
  say "$n worker(s) running"
}

cmd_status() {
  local name pid state f
  [ -d "$dir" ] || die "no cluster in $dir (start one with: $0 up)"
  echo "cluster in $dir, broker at $(cat "$dir/bootstrap" 2>/dev/null || echo '?'), run '${BACKSTREAM_RUN:-default}'"
  if [ -z "$(find "$dir" -maxdepth 1 -name '*.pid' -print -quit)" ]; then
    echo "  (nothing running)"
  fi
  for name in broker coordinator metrics $(all_workers); do
    f="$dir/$name.pid"
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if alive "$f"; then
      state="running"
    elif [ "$name" = coordinator ] && [ -f "$dir/summary.json" ]; then
      state="finished"
    else
      state="exited (see $dir/$name.log)"
    fi
    printf '  %-12s pid %-8s %s\n' "$name" "$pid" "$state"
  done
  if [ -f "$dir/metrics.log" ] && grep -q '^ *epoch ' "$dir/metrics.log"; then
    echo "latest metrics:"
    grep -m1 '^ *epoch ' "$dir/metrics.log"
    grep -E '^ *[0-9]+ +[0-9]+ ' "$dir/metrics.log" | tail -n 1 || true
  fi
  if [ -f "$dir/summary.json" ]; then
    echo "summary ($dir/summary.json):"
    grep -E '"(steps|testAccuracy|trainAccuracy|wallSeconds|paramsSha256)"' "$dir/summary.json"
  fi
}

cmd_logs() {
  local follow=0 name f
  if [ "${1:-}" = "-f" ]; then
    follow=1
    shift
  fi
  name="${1:-}"
  if [ -n "$name" ]; then
    [ -f "$dir/$name.log" ] || die "no log named $name in $dir (try: broker, coordinator, metrics, worker-1)"
    if [ "$follow" -eq 1 ]; then exec tail -n 50 -F "$dir/$name.log"; fi
    tail -n 50 "$dir/$name.log"
    return
  fi
  if [ "$follow" -eq 1 ]; then
    exec tail -n 10 -F "$dir"/*.log
  fi
  for f in "$dir"/*.log; do
    [ -f "$f" ] || die "no logs in $dir"
    name="$(basename "$f" .log)"
    tail -n 20 "$f" | sed "s/^/$name | /"
  done
}

cmd_wait() {
  local timeout="${1:-3600}" i
  is_count "$timeout" || die "Invalid value '$timeout' for wait: must be whole seconds"
  [ -f "$dir/coordinator.pid" ] || die "no coordinator in $dir"
  for ((i = 0; i < timeout * 10; i++)); do
    alive "$dir/coordinator.pid" || break
    sleep 0.1
  done
  alive "$dir/coordinator.pid" && die "the coordinator is still running after ${timeout} s"
  [ -f "$dir/summary.json" ] || die "the coordinator exited without a summary; see $dir/coordinator.log"
  grep -E '^(done|paramsSha256)' "$dir/coordinator.log" || true
}

cmd_down() {
  local workers
  [ -d "$dir" ] || { say "nothing to stop in $dir"; return 0; }
  mapfile -t workers < <(all_workers)
  # Workers and the tail first, so that they leave cleanly; the broker last.
  stop "${workers[@]}" metrics coordinator
  stop broker
  # The next `up` starts a new broker anyway, and the data is mostly tensors of the finished run:
  # retention trails the step rate by ~90 s (check interval plus delete delay), several GB at 30
  # steps/s.
  rm -rf "${dir:?}/kafka"
  say "stopped; logs and summary kept in $dir, the broker's data removed"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  scale) shift; cmd_scale "$@" ;;
  status) shift; cmd_status "$@" ;;
  logs) shift; cmd_logs "$@" ;;
  wait) shift; cmd_wait "$@" ;;
  down) shift; cmd_down "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
