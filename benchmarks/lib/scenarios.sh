# Scenarios: which listener variant of a peer, which path, how many client
# connections, which extra request header. Plus the per-peer sanity checks
# and the one function that runs wrk and samples the proxy around it.
# Sourced by benchmarks/run.

declare -A SCENARIO_VARIANT=(
  [ka]=ka [cookie]=cookie [httpclose]=close [cliclose]=ka [large]=ka [ka200]=ka [httplog]=log [rules10]=rules)
declare -A SCENARIO_PATH=(
  [ka]=/small [cookie]=/small [httpclose]=/small [cliclose]=/small [large]=/large [ka200]=/small [httplog]=/small [rules10]=/small)
declare -A SCENARIO_CONNS=(
  [ka]=50 [cookie]=50 [httpclose]=50 [cliclose]=50 [large]=50 [ka200]=200 [httplog]=50 [rules10]=50)
declare -A SCENARIO_HEADER=([cliclose]="Connection: close")
declare -A SCENARIO_TITLE=(
  [ka]="keep-alive, roundrobin over 2 servers, 100 B, 50 connections"
  [cookie]="as ka + cookie SERVERID insert indirect nocache (clients send no cookie: every response gets one)"
  [httpclose]="as ka + option httpclose (a new server connection per request)"
  [cliclose]="as ka, clients send Connection: close (a new client connection per request)"
  [large]="as ka with 16 KiB responses"
  [ka200]="as ka with 200 client connections"
  [httplog]="as ka + option httplog: every request logged (HAProxy's httplog line) to a UDP syslog receiver on 127.0.0.1"
  [rules10]="as ka through a frontend with 10 rules (ACLs, http-request/http-response, use_backend ... if), the same in HAProxy and Tidegate")
# Why a peer has no listener for a variant (reported instead of a number).
declare -A VARIANT_GAP=(
  [wildfly:cookie]="Undertow's reverse-proxy handler cannot insert a server cookie (it only follows JSESSIONID routes)"
  [wildfly:close]="Undertow's reverse-proxy handler has no setting to close server connections per request"
  [nginx:log]="the httplog scenario compares HAProxy and Tidegate writing the same httplog line to the same syslog receiver"
  [wildfly:log]="the httplog scenario compares HAProxy and Tidegate writing the same httplog line to the same syslog receiver"
  [wildfly:rules]="the 10 rules are HAProxy syntax; only HAProxy and Tidegate read them"
  [nginx:rules]="the 10 rules are HAProxy syntax; only HAProxy and Tidegate read them")

# rules10_sections PORT A B: the rules10 listener, written once for HAProxy and Tidegate: a frontend
# with 10 rules that every request runs through (3 http-request edits, a deny and a redirect that do
# not apply to /small, 3 conditional use_backend, 2 http-response edits), then default_backend, which
# balances /small over both servers as ka does.
rules10_sections() {
  cat <<EOF

frontend rules
    bind 127.0.0.1:$1
    acl is_admin path_beg /admin
    acl from_lan src 10.0.0.0/8
    acl old_host hdr(host) -i old.example.com
    acl is_api path_beg /api/
    acl is_static path_end .css .js .png
    http-request deny if is_admin !from_lan
    http-request redirect prefix http://new.example.com code 301 if old_host
    http-request set-header X-Forwarded-Proto http
    http-request del-header X-Debug
    http-request add-header X-Rules ten if !is_static
    use_backend rules_api if is_api
    use_backend rules_static if is_static
    use_backend rules_static if { path_beg /img/ }
    http-response set-header X-Frame-Options DENY
    http-response del-header X-Powered-By
    default_backend rules_web

backend rules_web
    balance roundrobin
    server s1 $2
    server s2 $3

backend rules_api
    balance roundrobin
    server s1 $2
    server s2 $3

backend rules_static
    balance roundrobin
    server s1 $2
    server s2 $3
EOF
}

WRK_THREADS=1
WRK_TIMEOUT=5s

# check PEER NAME OK DETAIL: records one sanity-check outcome
check() {
  local ok=false
  if (($3)); then ok=true; else warn "$1 check failed: $2: $4"; fi
  printf '{"peer":"%s","check":"%s","ok":%s,"detail":%s}\n' "$1" "$2" "$ok" "$(json_str "$4")" >>"$CHECKS"
}

# What one GET (own connection) answers: status, then headers, then body.
probe() {
  curl -s -i --max-time 5 "${@:2}" "$1" 2>/dev/null | tr -d '\r' || true
}

# header_value NAME: value of the first NAME header in a probe() output
header_value() {
  awk -v name="$1" 'BEGIN { IGNORECASE = 1 } tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*: */, ""); print; exit }'
}

# Servers that answered, one letter per response body ("backend A ...").
servers_of() { awk '/^backend [AB] / { printf "%s", $2 }'; }

# Before measuring: does the peer really do what its scenarios claim?
sanity_checks() {
  local p=$1 port out seen="" i n
  port=${PORT[$p:ka]}
  for i in 1 2 3 4; do
    out=$(probe "http://127.0.0.1:$port/small")
    seen+=$(servers_of <<<"$out")
  done
  check "$p" "roundrobin reaches both servers (4 requests)" "$([[ $seen == *A* && $seen == *B* ]] && echo 1 || echo 0)" "servers answering: $seen"

  n=$(curl -s --max-time 5 -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/large" || true)
  check "$p" "16 KiB path relayed whole" "$([[ $n == "200 $LARGE_BODY_BYTES" ]] && echo 1 || echo 0)" "status and bytes: $n"

  if [[ -n ${PORT[$p:cookie]:-} ]]; then
    port=${PORT[$p:cookie]}
    out=$(probe "http://127.0.0.1:$port/small")
    local cookie cc
    cookie=$(header_value set-cookie <<<"$out")
    cc=$(header_value cache-control <<<"$out")
    check "$p" "cookie insert: Set-Cookie SERVERID and Cache-Control private" \
      "$([[ $cookie == SERVERID=[AB]* && ${cc,,} == *private* ]] && echo 1 || echo 0)" "Set-Cookie: $cookie; Cache-Control: $cc"
    seen=""
    for i in 1 2 3; do
      out=$(probe "http://127.0.0.1:$port/small" -H "Cookie: SERVERID=B")
      seen+=$(servers_of <<<"$out")
      [[ -n $(header_value set-cookie <<<"$out") ]] && seen+="+cookie"
    done
    check "$p" "cookie persistence: SERVERID=B always reaches B, no new cookie" \
      "$([[ $seen == BBB ]] && echo 1 || echo 0)" "servers answering: $seen"
  fi

  if [[ -n ${PORT[$p:log]:-} ]]; then
    local before after last
    before=$(syslog_sink_count)
    probe "http://127.0.0.1:${PORT[$p:log]}/small" >/dev/null
    for i in 1 2 3 4 5 6; do
      sleep 0.5
      after=$(syslog_sink_count)
      ((after > before)) && break
    done
    last=$(syslog_sink_last)
    check "$p" "httplog: the request's line reaches the syslog receiver" \
      "$([[ $after -gt $before && $last == *" log log/s"[12]" "*'"GET /small HTTP/1.1"'* ]] && echo 1 || echo 0)" "last line: $last"
  fi

  if [[ -n ${PORT[$p:rules]:-} ]]; then
    port=${PORT[$p:rules]}
    out=$(probe "http://127.0.0.1:$port/small")
    n=$(header_value x-frame-options <<<"$out")
    seen=$(servers_of <<<"$out")
    check "$p" "rules10: /small is forwarded and gets X-Frame-Options DENY" \
      "$([[ $n == DENY && -n $seen ]] && echo 1 || echo 0)" "server: ${seen:-<none>}; X-Frame-Options: ${n:-<none>}"
    n=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/admin" || true)
    check "$p" "rules10: /admin from 127.0.0.1 is denied (403)" "$([[ $n == 403 ]] && echo 1 || echo 0)" "status: $n"
  fi

  if [[ -n ${PORT[$p:close]:-} ]]; then
    out=$(probe "http://127.0.0.1:${PORT[$p:close]}/small")
    n=$(header_value connection <<<"$out")
    check "$p" "httpclose: response says Connection: close" "$([[ ${n,,} == close ]] && echo 1 || echo 0)" "Connection: ${n:-<none>}"
  fi
}

# run_scenario PEER SCENARIO SECONDS PHASE ROUND: prints one JSON record
run_scenario() {
  local p=$1 s=$2 secs=$3 phase=$4 round=$5 variant port url out
  variant=${SCENARIO_VARIANT[$s]}
  port=${PORT[$p:$variant]:-}
  if [[ -z $port ]]; then
    printf '{"peer":"%s","scenario":"%s","phase":"%s","round":%d,"na":%s}\n' \
      "$p" "$s" "$phase" "$round" "$(json_str "${VARIANT_GAP[$p:$variant]:-no listener for this scenario}")"
    return 0
  fi
  url="http://127.0.0.1:$port${SCENARIO_PATH[$s]}"
  local args=(-t"$WRK_THREADS" -c"${SCENARIO_CONNS[$s]}" -d"${secs}s" --timeout "$WRK_TIMEOUT" -s "$HERE/lib/wrk-report.lua")
  [[ -n ${SCENARIO_HEADER[$s]:-} ]] && args+=(-H "${SCENARIO_HEADER[$s]}")
  local pid=${PEER_PID[$p]} t0 t1 c0 c1 u0 u1 k0 k1 a0 a1 rss
  local l0 l1 x0 x1 lt0 lt1 xt0 xt1
  a0=$(backend_accepts); read -r u0 k0 <<<"$(tree_cpu_ticks "$pid" split)"
  l0=$(cpu_busy_total "$BACKEND_CPU"); x0=$(cpu_busy_total "$PROXY_CPU"); t0=$(date +%s%N)
  out=$(taskset -c "$BACKEND_CPU" wrk "${args[@]}" "$url" 2>&1) || true
  t1=$(date +%s%N); l1=$(cpu_busy_total "$BACKEND_CPU"); x1=$(cpu_busy_total "$PROXY_CPU")
  read -r u1 k1 <<<"$(tree_cpu_ticks "$pid" split)"; a1=$(backend_accepts)
  c0=$((u0 + k0)) c1=$((u1 + k1))
  rss=$(tree_rss_kib "$pid")
  [[ -n $a0 && -n $a1 ]] || { a0=0 a1=-1; }   # unknown: recorded as -2
  local result
  result=$(sed -n 's/^WRK_RESULT //p' <<<"$out")
  if [[ -z $result ]]; then
    warn "$p/$s: wrk printed no result: $(tr '\n' ' ' <<<"$out" | cut -c1-300)"
    printf '{"peer":"%s","scenario":"%s","phase":"%s","round":%d,"failed":%s}\n' \
      "$p" "$s" "$phase" "$round" "$(json_str "$(tr '\n' ' ' <<<"$out" | cut -c1-500)")"
    return 0
  fi
  [[ $phase != measured ]] || log "$p/$s round $round: $(awk '/Requests\/sec/ {print $2}' <<<"$out") req/s"
  # the second stub_status request is itself one accepted connection
  # whole-CPU usage (any process) of the load CPU and of the proxy's CPU
  read -r l0 lt0 <<<"$l0"; read -r l1 lt1 <<<"$l1"; read -r x0 xt0 <<<"$x0"; read -r x1 xt1 <<<"$x1"
  printf '{"peer":"%s","scenario":"%s","phase":"%s","round":%d,"wall_ns":%d,"cpu_ticks":%d,"sys_ticks":%d,"clk_tck":%d,"rss_kib":%d,"backend_accepts":%d,"load_cpu":{"busy":%d,"total":%d},"proxy_cpu":{"busy":%d,"total":%d},"wrk":%s}\n' \
    "$p" "$s" "$phase" "$round" $((t1 - t0)) $((c1 - c0)) $((k1 - k0)) "$CLK_TCK" "$rss" $((a1 - a0 - 1)) \
    $((l1 - l0)) $((lt1 - lt0)) $((x1 - x0)) $((xt1 - xt0)) "$result"
}

# Scenario definitions as JSON (for the report).
scenarios_json() {
  local s sep="" 
  printf '{'
  for s in "${SCENARIOS[@]}"; do
    printf '%s"%s":{"title":%s,"path":"%s","connections":%d,"header":%s}' "$sep" "$s" \
      "$(json_str "${SCENARIO_TITLE[$s]}")" "${SCENARIO_PATH[$s]}" "${SCENARIO_CONNS[$s]}" "$(json_str "${SCENARIO_HEADER[$s]:-}")"
    sep=,
  done
  printf '}'
}

# strace_scenario PEER SCENARIO FILE: counts the system calls of the peer's
# process (all threads; the JVM of a WildFly peer) over an extra 5 s run and
# logs the ones per request, epoll_wait's calls being the loops' wake-ups.
strace_scenario() {
  local p=$1 s=$2 file=$3 pid spid rec req
  pid=$(jvm_pid_in_tree "${PEER_PID[$p]}" || echo "${PEER_PID[$p]}")
  strace -c -f -o "$file" -p "$pid" 2>/dev/null &
  spid=$!
  sleep 1
  rec=$(run_scenario "$p" "$s" 5 strace 0)
  kill -INT "$spid" 2>/dev/null; wait "$spid" 2>/dev/null || true
  req=$(sed -n 's/.*"wrk":{"requests":\([0-9]*\),.*/\1/p' <<<"$rec")
  [[ -n $req && $req -gt 0 ]] || { warn "$p/$s: no requests under strace"; return 0; }
  log "$p/$s: system calls per request over $req requests under strace ($file):"
  awk -v req="$req" '$1 ~ /^[0-9.]+$/ && NF >= 5 { printf "  %-16s %6.2f\n", $NF, $4 / req }
    ' "$file" | sort -k2 -n -r | head -14 >&2
}
