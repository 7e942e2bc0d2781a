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

# utime+stime in clock ticks, summed over the tree rooted at PID.
tree_cpu_ticks() {
  local total=0 pid stat fields
  for pid in $(process_tree "$1"); do
    stat=$(cat /proc/"$pid"/stat 2>/dev/null) || continue
    stat=${stat##*) }            # drop "pid (comm) " whatever comm contains
    read -r -a fields <<<"$stat"  # fields[0] is field 3 (state)
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
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
