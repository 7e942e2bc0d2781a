# The two JVM peers, both a copy of the same provisioned WildFly started with
# the same JVM options under taskset:
#   wildfly  WildFly's own Undertow reverse-proxy handler (configured offline
#            with jboss-cli embed-server on the copy)
#   tidegate the Tidegate EAR deployed into the copy, started with
#            -Dtidegate.config=FILE (HAProxy syntax)
# Every socket binding of a copy is rewritten to a free loopback port, so
# nothing collides with other WildFly instances on the machine.
# Sourced by benchmarks/run; expects WILDFLY_HOME (may be empty), EAR_FILE
# (may be empty), WORK, PROXY_CPU, common.sh and backends.sh.

WILDFLY_START_TIMEOUT=${WILDFLY_START_TIMEOUT:-240}

wildfly_version() {
  local f
  # the product version (the server jar carries WildFly Core's own version)
  f=$(ls "$WILDFLY_HOME"/modules/system/layers/base/org/jboss/as/product/main/wildfly-feature-pack-product-conf-*.jar 2>/dev/null | head -1 || true)
  f=${f##*/wildfly-feature-pack-product-conf-}; echo "${f%.jar}"
}

wildfly_missing() {
  if [[ -z $WILDFLY_HOME || ! -x $WILDFLY_HOME/bin/standalone.sh ]]; then
    echo "no provisioned WildFly (build one with: mvn -B -pl ear -am package -DskipTests, or pass --wildfly DIR)"
  fi
}

# wildfly_copy NAME -> prints the directory of a fresh copy of WILDFLY_HOME
wildfly_copy() {
  local copy=$WORK/$1
  rm -rf "$copy"
  cp -a "$WILDFLY_HOME" "$copy"
  rm -rf "$copy"/standalone/{data,log,tmp} "$copy"/standalone/deployments/*
  rm -rf "$copy"/standalone/configuration/standalone_xml_history
  echo "$copy"
}

# CLI lines that move every socket binding of the copy to a free port.
# Sets WF_HTTP_PORT (the HTTP listener, where the reverse proxy listens).
wildfly_port_cli() {
  local names=(http https ajp management-http management-https txn-recovery-environment txn-status-manager)
  local ports i
  read -r -a ports <<<"$(free_ports ${#names[@]})"
  WF_HTTP_PORT=${ports[0]}
  for i in "${!names[@]}"; do
    echo "/socket-binding-group=standard-sockets/socket-binding=${names[i]}:write-attribute(name=port,value=${ports[i]})"
  done
}

# wildfly_configure COPY CLI_FILE: runs a CLI batch on the stopped copy.
wildfly_configure() {
  local copy=$1 cli=$2
  "$copy/bin/jboss-cli.sh" --file="$cli" >"$cli.out" 2>&1 \
    || { start_failed "jboss-cli failed on $copy (see $cli.out)"; return 1; }
}

# wildfly_start NAME COPY [server args...]: sets PEER_PID[NAME].
wildfly_start() {
  local name=$1 copy=$2; shift 2
  [[ -n ${WILDFLY_JAVA_OPTS:-} ]] && export JAVA_OPTS=$WILDFLY_JAVA_OPTS
  taskset -c "$PROXY_CPU" "$copy/bin/standalone.sh" -b 127.0.0.1 -bmanagement 127.0.0.1 "$@" \
    >"$copy/console.log" 2>&1 &
  PEER_PID[$name]=$!
  remember_pid "${PEER_PID[$name]}"
}

# --- wildfly: Undertow reverse-proxy handler --------------------------------

peer_wildfly_label() { echo "WildFly $(wildfly_version) Undertow reverse-proxy handler (1 IO thread)"; }

peer_wildfly_unavailable() { wildfly_missing; }

peer_wildfly_start() {
  local copy cli
  copy=$(wildfly_copy wildfly-reverse-proxy)
  cli=$WORK/wildfly-reverse-proxy.cli
  {
    echo "embed-server --server-config=standalone.xml --std-out=discard"
    echo "batch"
    wildfly_port_cli
    cat <<EOF
/socket-binding-group=standard-sockets/remote-destination-outbound-socket-binding=bench-a:add(host=127.0.0.1, port=$BACKEND_A_PORT)
/socket-binding-group=standard-sockets/remote-destination-outbound-socket-binding=bench-b:add(host=127.0.0.1, port=$BACKEND_B_PORT)
/subsystem=undertow/configuration=handler/reverse-proxy=bench:add(connections-per-thread=512, cached-connections-per-thread=512, request-queue-size=1000, max-request-time=30000)
/subsystem=undertow/configuration=handler/reverse-proxy=bench/host=bench-a:add(outbound-socket-binding=bench-a, scheme=http, path=/, instance-id=A)
/subsystem=undertow/configuration=handler/reverse-proxy=bench/host=bench-b:add(outbound-socket-binding=bench-b, scheme=http, path=/, instance-id=B)
/subsystem=undertow/server=default-server/host=default-host/location=\/:add(handler=bench)
/subsystem=io/worker=default:write-attribute(name=io-threads, value=1)
run-batch
stop-embedded-server
EOF
  } >"$cli"
  wildfly_configure "$copy" "$cli" || return 1
  PORT[wildfly:ka]=$WF_HTTP_PORT
  wildfly_start wildfly "$copy"
  wait_http_ok "http://127.0.0.1:$WF_HTTP_PORT/small" "${PEER_PID[wildfly]}" "$WILDFLY_START_TIMEOUT" \
    || { start_failed "WildFly reverse proxy did not answer (see $copy/console.log)"; return 1; }
}

# --- tidegate: the EAR in the same WildFly ----------------------------------

peer_tidegate_label() { echo "Tidegate ${EAR_FILE##*/} in WildFly $(wildfly_version)"; }

peer_tidegate_unavailable() {
  local m; m=$(wildfly_missing)
  if [[ -n $m ]]; then echo "$m"; return; fi
  if [[ -z $EAR_FILE || ! -f $EAR_FILE ]]; then
    echo "no Tidegate EAR (ear/target/*.ear absent; build it with: mvn -B -pl ear -am package -DskipTests, or pass --ear FILE)"
  fi
}

peer_tidegate_start() {
  local copy cli cfg ports
  copy=$(wildfly_copy wildfly-tidegate)
  cli=$WORK/wildfly-tidegate.cli
  { echo "embed-server --server-config=standalone.xml --std-out=discard"
    echo "batch"; wildfly_port_cli; echo "run-batch"; echo "stop-embedded-server"; } >"$cli"
  wildfly_configure "$copy" "$cli" || return 1
  read -r -a ports <<<"$(free_ports 5)"
  PORT[tidegate:ka]=${ports[0]} PORT[tidegate:cookie]=${ports[1]} PORT[tidegate:close]=${ports[2]} PORT[tidegate:log]=${ports[3]} PORT[tidegate:rules]=${ports[4]}
  local a=127.0.0.1:$BACKEND_A_PORT b=127.0.0.1:$BACKEND_B_PORT
  cfg=$WORK/tidegate.cfg
  cat >"$cfg" <<EOF
# generated by benchmarks/run (same sections as the HAProxy peer's config)
global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

listen ka
    bind 127.0.0.1:${PORT[tidegate:ka]}
    balance roundrobin
    server s1 $a
    server s2 $b

listen cookie
    bind 127.0.0.1:${PORT[tidegate:cookie]}
    balance roundrobin
    cookie SERVERID insert indirect nocache
    server s1 $a cookie A
    server s2 $b cookie B

listen close
    bind 127.0.0.1:${PORT[tidegate:close]}
    balance roundrobin
    option httpclose
    server s1 $a
    server s2 $b

listen log
    bind 127.0.0.1:${PORT[tidegate:log]}
    balance roundrobin
    log 127.0.0.1:$SYSLOG_PORT local0
    option httplog
    server s1 $a
    server s2 $b
$(rules10_sections "${PORT[tidegate:rules]}" "$a" "$b")
EOF
  cp "$EAR_FILE" "$copy/standalone/deployments/"
  wildfly_start tidegate "$copy" "-Dtidegate.config=$cfg"
  local marker=$copy/standalone/deployments/${EAR_FILE##*/} deadline=$((SECONDS + WILDFLY_START_TIMEOUT))
  while ((SECONDS < deadline)) && [[ ! -e $marker.deployed && ! -e $marker.failed ]]; do
    [[ -d /proc/${PEER_PID[tidegate]} ]] || break
    sleep 1
  done
  if [[ ! -e $marker.deployed ]]; then
    start_failed "Tidegate EAR did not deploy (see $copy/console.log and $marker.failed)"; return 1
  fi
  wait_http_ok "http://127.0.0.1:${PORT[tidegate:ka]}/small" "${PEER_PID[tidegate]}" 60 \
    || { start_failed "Tidegate deployed but its listener does not answer (see $copy/console.log)"; return 1; }
}
