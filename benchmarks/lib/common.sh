# Shared helpers for benchmarks/run: logging, process bookkeeping, free ports,
# /proc sampling and readiness probes. Sourced, never executed.

log()  { printf '%s [bench] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
warn() { printf '%s [bench] WARNING: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die()  { printf '%s [bench] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Processes this harness started. Only these are ever signalled.
STARTED_PIDS=()

remember_pid() { STARTED_PIDS+=("$1"); }

# Prints PID and all of its descendants (children first listed after parent).
process_tree() {
  local pid=$1 child
  [[ -d /proc/$pid ]] || return 0
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
    process_tree "$child"
  done
}

# Stops one started process and everything it spawned: TERM, wait up to
# GRACE seconds, then KILL whatever is left. Only PIDs from our own tree.
stop_tree() {
  local root=$1 grace=${2:-15} pids i
  pids=$(process_tree "$root")
  [[ -n $pids ]] || return 0
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    local alive=0 p
    for p in $pids; do [[ -d /proc/$p ]] && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for p in $pids; do [[ -d /proc/$p ]] && kill -KILL "$p" 2>/dev/null; done
  wait "$root" 2>/dev/null || true
}

stop_all_started() {
  local i
  for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    stop_tree "${STARTED_PIDS[i]}" 10
  done
  STARTED_PIDS=()
}

# ---------------------------------------------------------------------------
# Free loopback ports: bind N sockets to 127.0.0.1:0 at once (so they are
# distinct), print their ports, release them. The small window until the
# real server binds is accepted; readiness probes catch a lost race.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

# ---------------------------------------------------------------------------
# /proc sampling of a process tree (the proxy under test).
CLK_TCK=$(getconf CLK_TCK)

# utime+stime in clock ticks, summed over the tree rooted at PID; with a
# second argument "split": "UTIME STIME" (user and kernel time) instead.
tree_cpu_ticks() {
  local user=0 sys=0 pid stat fields
  for pid in $(process_tree "$1"); do
    stat=$(cat /proc/"$pid"/stat 2>/dev/null) || continue
    stat=${stat##*) }            # drop "pid (comm) " whatever comm contains
    read -r -a fields <<<"$stat"  # fields[0] is field 3 (state)
    user=$((user + fields[11])) sys=$((sys + fields[12]))
  done
  if [[ ${2:-} == split ]]; then echo "$user $sys"; else echo $((user + sys)); fi
}

# "BUSY TOTAL" clock ticks of one CPU since boot, from /proc/stat (busy =
# user+nice+system+irq+softirq+steal; total adds idle+iowait). Whoever used it.
cpu_busy_total() {
  awk -v cpu="cpu$1" '$1 == cpu { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}

# Resident set size in KiB summed over the tree rooted at PID.
tree_rss_kib() {
  local total=0 pid kib
  for pid in $(process_tree "$1"); do
    kib=$(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status 2>/dev/null)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

# ---------------------------------------------------------------------------
# Waits until GET URL answers 200, the process PID is alive and TIMEOUT
# seconds have not passed. Returns non-zero otherwise.
wait_http_ok() {
  local url=$1 pid=$2 timeout=$3 deadline code
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    [[ -d /proc/$pid ]] || return 2
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    [[ $code == 200 ]] && return 0
    sleep 0.5
  done
  return 1
}

# A peer that could not be started says why; benchmarks/run reports it.
START_ERROR=""
start_failed() { START_ERROR=$1; warn "$1"; }

# JSON string literal of $1 (via python, so any character is safe).
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

# ---------------------------------------------------------------------------
# async-profiler (Maven Central tools.profiler:async-profiler, fetched into
# ~/.m2 with the ordinary Maven client): prints the path of its native library.
async_profiler_lib() {
  local version=$1 jar dir
  jar=$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar
  if [[ ! -f $jar ]]; then
    (cd "$REPO" && ./mvnw -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version") >&2 || return 1
  fi
  dir=$WORK/async-profiler
  mkdir -p "$dir"
  (cd "$dir" && unzip -o -q "$jar" 'linux-x64/*') || return 1
  echo "$dir/linux-x64/libasyncProfiler.so"
}

# The JVM inside a started process tree (standalone.sh runs java as a child).
jvm_pid_in_tree() {
  local p
  for p in $(process_tree "$1"); do
    [[ $(cat /proc/"$p"/comm 2>/dev/null) == java ]] && { echo "$p"; return 0; }
  done
  return 1
}

# profiler_start JVM_PID cpu|alloc / profiler_stop JVM_PID FILE (collapsed
# stacks, one line per thread and stack: the thread's name is the first frame).
profiler_start() {
  local event=cpu
  [[ $2 == alloc ]] && event=alloc
  jcmd "$1" JVMTI.agent_load "$AP_LIB" "\"start,event=$event,interval=997us,threads\"" >/dev/null \
    || warn "async-profiler did not start in pid $1"
}
profiler_stop() {
  jcmd "$1" JVMTI.agent_load "$AP_LIB" "\"stop,file=$2,collapsed\"" >/dev/null \
    || warn "async-profiler did not stop in pid $1"
}

# perf_start PID FILE / perf_stop FILE.collapsed: a CPU profile of a native
# peer (HAProxy) with perf, kernel frames included, as collapsed stacks.
PERF_PID=""
perf_start() {
  perf record -F 1003 -g -p "$1" -o "$2" >/dev/null 2>&1 &
  PERF_PID=$!
}
perf_stop() {
  [[ -n $PERF_PID ]] || return 0
  kill -INT "$PERF_PID" 2>/dev/null; wait "$PERF_PID" 2>/dev/null || true
  PERF_PID=""
  perf script -i "${1%.collapsed}.data" 2>/dev/null | python3 "$HERE/lib/perf-collapse.py" >"$1"
  rm -f "${1%.collapsed}.data"
}
