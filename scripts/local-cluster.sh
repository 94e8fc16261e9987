#!/usr/bin/env bash
# The docker-compose.yml topology without Docker: a Kafka broker process (`backstream broker`), a
# coordinator, N worker processes and a metrics tail, each a JVM of its own, with logs and pids
# under one folder. Workers and the metrics tail exit 0 when the run is finished.
#
#   scripts/local-cluster.sh up [N] [--brokers 1|3]   start broker(s), coordinator, metrics and N
#                                         workers (default 2), after clearing a stopped cluster's
#                                         files from the folder; --brokers 3: three KRaft nodes
#                                         (broker+controller each), topics replicated 3 times
#   scripts/local-cluster.sh scale N      add workers, or SIGTERM the newest ones, while the run goes on
#   scripts/local-cluster.sh restart coordinator|worker K   start it again (stopping it first if it
#                                         runs), with the settings of `up`, appending to its log
#   scripts/local-cluster.sh status       what is alive, the latest metrics row, the summary
#   scripts/local-cluster.sh logs [-f] [NAME]   the logs (NAME: broker, broker-K, coordinator,
#                                         metrics, worker-K)
#   scripts/local-cluster.sh wait [SECONDS]     until the coordinator has finished; prints the summary
#   scripts/local-cluster.sh down         stop everything (SIGTERM, then SIGKILL after a timeout)
#
# Exit codes: 0 done, 1 failed, 2 a usage mistake (the line says what would be right).
#
# Environment:
#   BACKSTREAM_CLUSTER_DIR   the folder (default: runs/local-cluster in this checkout)
#   BACKSTREAM_BROKER_PORT, BACKSTREAM_BROKER_CONTROLLER_PORT   broker ports (9092, 9093; 0 = free);
#                            with 3 brokers node K listens on PORT+2(K-1) and controls on the next
#   BACKSTREAM_BROKERS       the broker count when `up` has no --brokers (default 1)
#   BACKSTREAM_KAFKA_CLASSPATH  where the Kafka broker classes are for 3 brokers (default: the
#                            backstream jar, cli/target/backstream.jar, which holds them)
#   BACKSTREAM_KAFKA_HEAP    each Kafka node's heap (default -Xmx768m)
#   BACKSTREAM_STOP_TIMEOUT  seconds between SIGTERM and SIGKILL (default 20)
#   BACKSTREAM_BIN           the backstream command (default: bin/backstream of this checkout)
#   BACKSTREAM_RUN, BACKSTREAM_STEPS, BACKSTREAM_SHARDS, ...   read by backstream itself; `up` keeps
#                            them in the folder's env file, and `restart` uses those
# The folder keeps: broker.log (or broker-K.log), coordinator.log, metrics.log, worker-K.log, *.pid,
# bootstrap, env, kafka/ (the brokers' data, removed by down) and summary.json (the coordinator's
# --summary, with paramsSha256).
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

# A mistake in the command line: exit 2, like backstream's own usage errors.
usage_error() {
  echo "local-cluster: $*" >&2
  exit 2
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
  # the log exists before this returns: the background child opens its redirections only when it
  # runs, and next_worker_index, called right after, names workers by their logs
  : >"$dir/$name.log"
  nohup "$bin" "$@" >>"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

# As start, but appending to NAME.log after a line that says when it was restarted.
restart_process() {
  local name="$1"
  shift
  echo "local-cluster: restarted $name at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$dir/$name.log"
  nohup "$bin" "$@" >>"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

# The processes named PREFIX-N that have a pid file (alive or not), by N.
numbered() {
  local f
  for f in "$dir/$1"-*.pid; do
    if [ -f "$f" ]; then basename "$f" .pid; fi
  done | sort -t- -k2 -n
}

# The Kafka nodes of a multi-broker cluster, broker-1 first (none for the single `broker`).
kafka_nodes() {
  numbered broker
}

# True if any broker process of the cluster is alive.
any_broker_alive() {
  local name
  for name in broker $(kafka_nodes); do
    if alive "$dir/$name.pid"; then
      return 0
    fi
  done
  return 1
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
  numbered worker
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

java_bin() {
  if [ -n "${JAVA_HOME:-}" ]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

# True if something accepts connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A port nothing listens on, none of those in the arguments (a probe: another process may take it
# before the broker binds it, and then that broker fails to start and says so). It is drawn below
# the kernel's ephemeral range, from which every outgoing connection takes its own port: a port of
# that range that nothing listens on can still be held by a client socket, and the bind then fails.
free_port() {
  local p taken low=32768 _high
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r low _high </proc/sys/net/ipv4/ip_local_port_range
  fi
  if [ "$low" -le 21024 ]; then low=60000; fi  # no room below it: draw as before
  while :; do
    p=$((20000 + RANDOM % (low - 20000)))
    taken=0
    for q in "$@"; do
      if [ "$q" = "$p" ]; then taken=1; fi
    done
    if [ "$taken" -eq 0 ] && ! port_in_use "$p"; then
      echo "$p"
      return
    fi
  done
}

# Writes the server.properties of Kafka node $1 of $2: combined broker and controller, every
# internal topic replicated 3 times with 2 in sync, the single broker's limits otherwise
# (cli/broker/BrokerProperties.java).
write_node_properties() {
  local k="$1" count="$2" voters="$3" port="$4" controller="$5" file="$6"
  local rf=$((count < 3 ? count : 3))
  local isr=$((rf >= 3 ? 2 : 1))
  cat >"$file" <<PROPERTIES
process.roles=broker,controller
node.id=$k
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/kafka/node-$k
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$isr
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$isr
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$isr
auto.create.topics.enable=false
message.max.bytes=8388608
replica.fetch.max.bytes=8388608
log.segment.bytes=16777216
log.retention.bytes=67108864
log.retention.ms=600000
log.retention.check.interval.ms=5000
log.segment.delete.delay.ms=5000
log.cleaner.dedupe.buffer.size=16777216
group.initial.rebalance.delay.ms=0
group.min.session.timeout.ms=1000
group.consumer.min.session.timeout.ms=1000
group.consumer.min.heartbeat.interval.ms=250
PROPERTIES
}

# Starts Kafka node $1 (broker-K) from its properties, appending to its log.
start_kafka_node() {
  local k="$1" cp="$2"
  # shellcheck disable=SC2086
  nohup "$(java_bin)" ${BACKSTREAM_KAFKA_HEAP:--Xmx768m} "-Dbackstream.node=broker-$k" -cp "$cp" \
    kafka.Kafka "$dir/kafka/node-$k.properties" >>"$dir/broker-$k.log" 2>&1 </dev/null &
  echo $! >"$dir/broker-$k.pid"
}

# Formats and starts $1 KRaft nodes (broker+controller each) as broker-1..N; prints the
# bootstrap list once every node accepts connections.
start_kafka_cluster() {
  local count="$1" cp="${BACKSTREAM_KAFKA_CLASSPATH:-$home/cli/target/backstream.jar}"
  local base="${BACKSTREAM_BROKER_PORT:-9092}" k i voters="" bootstrap="" id pids=()
  local ports=() controllers=() used=()
  if [ "${cp%%:*}" = "$cp" ] && [ ! -f "$cp" ]; then
    echo "local-cluster: no Kafka classes at $cp (build the jar: ./mvnw -DskipTests package, or set BACKSTREAM_KAFKA_CLASSPATH)" >&2
    return 1
  fi
  for ((k = 1; k <= count; k++)); do
    if [ "$base" = 0 ]; then
      ports[k]="$(free_port "${used[@]}")"
      used+=("${ports[k]}")
      controllers[k]="$(free_port "${used[@]}")"
      used+=("${controllers[k]}")
    else
      ports[k]=$((base + 2 * (k - 1)))
      controllers[k]=$((base + 2 * (k - 1) + 1))
    fi
    voters="$voters${voters:+,}$k@127.0.0.1:${controllers[k]}"
    bootstrap="$bootstrap${bootstrap:+,}127.0.0.1:${ports[k]}"
  done
  # a Kafka cluster id: 16 random bytes, URL-safe base64 without padding
  id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | cut -c1-22)"
  mkdir -p "$dir/kafka"
  for ((k = 1; k <= count; k++)); do
    mkdir -p "$dir/kafka/node-$k"
    write_node_properties "$k" "$count" "$voters" "${ports[k]}" "${controllers[k]}" "$dir/kafka/node-$k.properties"
    # a short-lived JVM: the first compiler tier is enough and starts sooner
    "$(java_bin)" -XX:TieredStopAtLevel=1 -cp "$cp" kafka.tools.StorageTool format -t "$id" \
      -c "$dir/kafka/node-$k.properties" --ignore-formatted >"$dir/broker-$k.log" 2>&1 &
    pids+=($!)
  done
  for ((k = 1; k <= count; k++)); do
    if ! wait "${pids[k - 1]}"; then
      echo "local-cluster: formatting broker-$k's storage failed; the end of $dir/broker-$k.log:" >&2
      tail -n 15 "$dir/broker-$k.log" >&2
      return 1
    fi
  done
  for ((k = 1; k <= count; k++)); do
    start_kafka_node "$k" "$cp"
    echo "local-cluster: broker-$k starting (pid $(cat "$dir/broker-$k.pid")) on 127.0.0.1:${ports[k]}, log $dir/broker-$k.log" >&2
  done
  for ((k = 1; k <= count; k++)); do
    for ((i = 0; ; i++)); do
      if port_in_use "${ports[k]}"; then break; fi
      if ! kill -0 "$(cat "$dir/broker-$k.pid")" 2>/dev/null; then
        echo "local-cluster: broker-$k exited before serving; the end of $dir/broker-$k.log:" >&2
        tail -n 15 "$dir/broker-$k.log" >&2
        return 1
      fi
      if [ "$i" -ge $((broker_wait * 10)) ]; then
        echo "local-cluster: broker-$k did not accept connections within ${broker_wait} s; see $dir/broker-$k.log" >&2
        return 1
      fi
      sleep 0.1
    done
  done
  echo "$bootstrap"
}

cmd_up() {
  local n="" brokers="${BACKSTREAM_BROKERS:-1}" name hostport
  while [ $# -gt 0 ]; do
    case "$1" in
      --brokers) [ $# -ge 2 ] || usage_error "--brokers needs a count: 1 or 3"; brokers="$2"; shift 2 ;;
      --brokers=*) brokers="${1#--brokers=}"; shift ;;
      -*) usage_error "unknown option '$1' for up; usage: up [N] [--brokers 1|3]" ;;
      *) [ -z "$n" ] || usage_error "up takes one worker count, got '$n' and '$1'"; n="$1"; shift ;;
    esac
  done
  n="${n:-${BACKSTREAM_WORKERS:-2}}"
  is_count "$n" || usage_error "Invalid value '$n' for the worker count: must be a whole number, e.g. up 3"
  [ "$brokers" = 1 ] || [ "$brokers" = 3 ] \
    || usage_error "Invalid value '$brokers' for --brokers: must be 1 or 3 (3: a KRaft quorum that survives losing one)"
  mkdir -p "$dir"
  for name in broker $(kafka_nodes) coordinator metrics $(live_workers); do
    if alive "$dir/$name.pid"; then
      die "a cluster is already running in $dir ($name, pid $(cat "$dir/$name.pid")); stop it with: $0 down"
    fi
  done
  if [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    say "clearing the previous cluster's files in $dir"
    rm -rf "${dir:?}"/kafka "$dir"/*.log "$dir"/*.pid "$dir"/bootstrap "$dir"/summary.json "$dir"/env
  fi
  # One build (bin/backstream builds the jar on first use) and one dataset fetch, before any
  # process starts: N processes must not build or download at once.
  "$bin" --version >/dev/null || die "cannot run $bin"
  if ! dataset_present; then
    say "fetching the dataset first (log $dir/data.log)"
    "$bin" data fetch >"$dir/data.log" 2>&1 || { tail -n 15 "$dir/data.log" >&2; die "the dataset is not available; see $dir/data.log"; }
  fi

  if [ "$brokers" = 1 ]; then
    start broker broker --data "$dir/kafka"
    say "broker starting (pid $(cat "$dir/broker.pid")), log $dir/broker.log"
    if ! hostport="$(wait_for_broker "$(cat "$dir/broker.pid")")"; then
      stop broker
      die "no cluster started"
    fi
  else
    if ! hostport="$(start_kafka_cluster "$brokers")"; then
      # shellcheck disable=SC2046
      stop $(kafka_nodes)
      die "no cluster started"
    fi
  fi
  echo "$hostport" >"$dir/bootstrap"
  if [ "$brokers" = 1 ]; then say "broker serving at $hostport"; else say "$brokers brokers serving at $hostport"; fi

  export BACKSTREAM_BOOTSTRAP="$hostport"
  # what restart starts again with, whatever the shell that asks for it has set
  export -p | grep -E '^declare -x (BACKSTREAM_[A-Z_]*|JAVA_HOME)=' >"$dir/env" || true
  start coordinator coordinator --summary "$dir/summary.json"
  say "started coordinator (pid $(cat "$dir/coordinator.pid")), run '${BACKSTREAM_RUN:-default}'"
  start metrics metrics --follow
  say "started metrics (pid $(cat "$dir/metrics.pid"))"
  add_workers "$n"
  say "up: $n worker(s); '$0 status' shows progress, '$0 down' stops everything"
}

cmd_restart() {
  local what="${1:-}" k="${2:-}" name
  case "$what" in
    coordinator) name=coordinator; [ $# -le 1 ] || usage_error "restart coordinator takes no more arguments" ;;
    worker)
      is_count "$k" || usage_error "Invalid value '$k' for restart worker: must be a worker number, e.g. restart worker 1"
      name="worker-$k"
      [ $# -le 2 ] || usage_error "restart worker takes one number"
      [ -f "$dir/$name.log" ] || usage_error "no $name in $dir (workers so far: $(cd "$dir" 2>/dev/null && ls worker-*.log 2>/dev/null | sed 's/\.log$//' | sort -t- -k2 -n | paste -sd' ' -))"
      ;;
    *) usage_error "Invalid value '$what' for restart: must be coordinator or worker K" ;;
  esac
  [ -f "$dir/env" ] || die "no cluster in $dir (start one with: $0 up)"
  any_broker_alive || die "no broker is running in $dir (start a cluster with: $0 up)"
  # shellcheck disable=SC1091
  source "$dir/env"
  if alive "$dir/$name.pid"; then
    say "stopping $name (SIGTERM)"
    stop "$name"
  fi
  if [ "$name" = coordinator ]; then
    restart_process coordinator coordinator --summary "$dir/summary.json"
  else
    restart_process "$name" worker
  fi
  say "restarted $name (pid $(cat "$dir/$name.pid")), log $dir/$name.log"
}

cmd_scale() {
  local n="${1:-}" workers have
  is_count "$n" || usage_error "Invalid value '${n}' for scale: must be a whole number of workers, e.g. scale 4"
  any_broker_alive || die "no broker is running in $dir (start a cluster with: $0 up)"
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
  if [ -f "$dir/env" ]; then
    # the run that `up` started, not whatever this shell names
    # shellcheck disable=SC1091
    source "$dir/env"
  fi
  echo "cluster in $dir, broker at $(cat "$dir/bootstrap" 2>/dev/null || echo '?'), run '${BACKSTREAM_RUN:-default}'"
  if [ -z "$(find "$dir" -maxdepth 1 -name '*.pid' -print -quit)" ]; then
    echo "  (nothing running)"
  fi
  for name in broker $(kafka_nodes) coordinator metrics $(all_workers); do
    f="$dir/$name.pid"
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if alive "$f"; then
      state="running"
    elif [ "$name" = coordinator ] && [ -f "$dir/summary.json" ]; then
      state="finished"
    elif grep -q "finished at step" "$dir/$name.log" 2>/dev/null; then
      state="exited: the run is finished"
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
    [ -f "$dir/$name.log" ] || usage_error "no log named $name in $dir (try: broker, coordinator, metrics, worker-1)"
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
  is_count "$timeout" || usage_error "Invalid value '$timeout' for wait: must be whole seconds"
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
  # shellcheck disable=SC2046
  stop broker $(kafka_nodes)
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
  restart) shift; cmd_restart "$@" ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) usage_error "unknown command '$1'; commands are: up, scale, restart, status, logs, wait, down (--help shows each)" ;;
esac
