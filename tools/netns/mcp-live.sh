#!/usr/bin/env bash
# Live MCP traffic between two private network namespaces, optionally captured.
#
#   tools/netns/mcp-live.sh [--transports "streamable sse"] [--client-name NAME]
#                           [--plain-http] [--results FILE] [--keep-logs DIR]
#
# Layout (all traffic stays inside the two namespaces this script creates):
#
#   wd-cli-PID  [wdcPID 10.231.0.10/24] <--veth--> [wdsPID 10.231.0.1/24]  wd-srv-PID
#     client.mjs, resolve.mjs, curl                     server.mjs (streamable :3001/mcp,
#     CAPTURE_CMD on wdcPID                              sse :3002/sse), DNS :53, HTTP :8000
#
# Steps: DNS A queries for mcp.lab.test (and one NXDOMAIN name) to the responder in the
# server namespace; one SDK client session per requested transport, connecting by name
# (http://mcp.lab.test:3001/mcp, http://mcp.lab.test:3002/sse), each new connection
# resolving the name again through the same responder; with --plain-http, two ordinary
# HTTP GETs with curl to http://www.lab.test:8000/.
#
# Environment:
#   CAPTURE_CMD            command run in the client namespace during the steps; "{iface}"
#                          is replaced by the client interface. Stopped with SIGINT (to its
#                          process group) after the last step; the script waits for it.
#   CAPTURE_READY_PATTERN  extended regex awaited in the capture's output before the steps
#                          start (e.g. "listening on" for tcpdump); without it the script
#                          sleeps CAPTURE_WARMUP seconds (default 5).
#   CAPTURE_READY_TIMEOUT  seconds to wait for the pattern (default 60).
#   CAPTURE_STOP_TIMEOUT   seconds to wait for the capture to exit after SIGINT (default 30),
#                          then SIGTERM, then SIGKILL.
#   NODE                   node binary (default: node)
#
# Each client session prints one JSON line (session id, server info...), also appended to
# --results FILE. Needs root, iproute2, node with tools/mcp-node/node_modules, python3.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MCP_NODE_DIR=$(cd "$HERE/../mcp-node" && pwd)
NODE=${NODE:-node}

TRANSPORTS="streamable sse"
CLIENT_NAME=warden-live-client
PLAIN_HTTP=0
RESULTS=
KEEP_LOGS=
while [[ $# -gt 0 ]]; do
  case $1 in
    --transports) TRANSPORTS=$2; shift 2 ;;
    --client-name) CLIENT_NAME=$2; shift 2 ;;
    --plain-http) PLAIN_HTTP=1; shift ;;
    --results) RESULTS=$2; shift 2 ;;
    --keep-logs) KEEP_LOGS=$2; shift 2 ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) echo "mcp-live: unknown argument $1" >&2; exit 2 ;;
  esac
done
for t in $TRANSPORTS; do
  [[ $t == streamable || $t == sse ]] || { echo "mcp-live: unknown transport $t" >&2; exit 2; }
done

CAPTURE_WARMUP=${CAPTURE_WARMUP:-5}
CAPTURE_READY_TIMEOUT=${CAPTURE_READY_TIMEOUT:-60}
CAPTURE_STOP_TIMEOUT=${CAPTURE_STOP_TIMEOUT:-30}

NS_CLI=wd-cli-$$
NS_SRV=wd-srv-$$
IF_CLI=wdc$$
IF_SRV=wds$$
SRV_IP=10.231.0.1
CLI_IP=10.231.0.10
MCP_NAME=mcp.lab.test
WEB_NAME=www.lab.test
STREAMABLE_PORT=3001
SSE_PORT=3002
WEB_PORT=8000

log() { printf '[mcp-live %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces)"
command -v ip >/dev/null || die "ip (iproute2) not found"
command -v "$NODE" >/dev/null || die "node not found"
command -v python3 >/dev/null || die "python3 not found"
[[ -d $MCP_NODE_DIR/node_modules/@modelcontextprotocol/sdk ]] \
  || die "tools/mcp-node/node_modules missing: run npm ci --prefix tools/mcp-node"
if [[ $PLAIN_HTTP -eq 1 ]]; then command -v curl >/dev/null || die "curl not found (needed for --plain-http)"; fi

WORK=$(mktemp -d /tmp/mcp-live.XXXXXX)
CAPTURE_PID=
SERVER_PIDS=()

# Namespaces left behind by an earlier run of this script that was killed hard.
remove_stale_namespaces() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^wd-(cli|srv)-[0-9]+$' || true); do
    pid=${ns##*-}
    if ! kill -0 "$pid" 2>/dev/null; then
      log "removing stale namespace $ns"
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}

# Sends SIG to the capture's process group, waits up to SECS for it to exit. Returns 0 if it exited.
signal_capture() {
  local sig=$1 secs=$2 i
  kill "-$sig" -- "-$CAPTURE_PID" 2>/dev/null || kill "-$sig" "$CAPTURE_PID" 2>/dev/null || true
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$CAPTURE_PID" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

stop_capture() {
  [[ -n $CAPTURE_PID ]] || return 0
  local rc=0
  if ! signal_capture INT "$CAPTURE_STOP_TIMEOUT"; then
    log "capture still running ${CAPTURE_STOP_TIMEOUT}s after SIGINT: sending SIGTERM"
    signal_capture TERM 5 || { log "capture ignores SIGTERM: sending SIGKILL"; signal_capture KILL 5 || true; }
  fi
  wait "$CAPTURE_PID" 2>/dev/null || rc=$?
  log "capture exited with status $rc"
  CAPTURE_PID=
}

cleanup() {
  local rc=$?
  set +e
  stop_capture
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for ns in "$NS_CLI" "$NS_SRV"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      ip netns pids "$ns" | xargs -r kill -TERM 2>/dev/null
      sleep 0.2
      ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null
      ip netns del "$ns"
    fi
  done
  wait 2>/dev/null
  if [[ $rc -ne 0 ]]; then
    for f in "$WORK"/*.log; do
      [[ -s $f ]] || continue
      echo "----- $(basename "$f") (last 30 lines) -----" >&2
      tail -n 30 "$f" >&2
    done
  fi
  if [[ -n $KEEP_LOGS ]]; then mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$KEEP_LOGS"/ 2>/dev/null; fi
  rm -rf "$WORK"
  log "cleaned up (namespaces $NS_CLI $NS_SRV removed), exit status $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits until FILE contains a line matching REGEX; fails after SECS or when PID has died.
wait_for_line() {
  local file=$1 regex=$2 secs=$3 pid=$4 what=$5 i
  for ((i = 0; i < secs * 10; i++)); do
    grep -Eq "$regex" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || die "$what exited before it was ready"
    sleep 0.1
  done
  die "$what not ready after ${secs}s"
}

in_cli() { ip netns exec "$NS_CLI" "$@"; }
in_srv() { ip netns exec "$NS_SRV" "$@"; }

remove_stale_namespaces

log "creating namespaces $NS_CLI ($CLI_IP on $IF_CLI) and $NS_SRV ($SRV_IP on $IF_SRV)"
ip netns add "$NS_CLI"
ip netns add "$NS_SRV"
ip link add "$IF_CLI" netns "$NS_CLI" type veth peer name "$IF_SRV" netns "$NS_SRV"
in_cli ip addr add "$CLI_IP/24" dev "$IF_CLI"
in_srv ip addr add "$SRV_IP/24" dev "$IF_SRV"
for ns in "$NS_CLI" "$NS_SRV"; do
  ip -n "$ns" link set lo up
  # IPv4 only: no router solicitations or DAD noise on the wire
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
in_cli ip link set "$IF_CLI" up
in_srv ip link set "$IF_SRV" up

log "starting DNS responder on $SRV_IP:53 ($MCP_NAME, $WEB_NAME -> $SRV_IP)"
in_srv python3 -u "$HERE/dns-responder.py" --listen "$SRV_IP" \
  "$MCP_NAME=$SRV_IP" "$WEB_NAME=$SRV_IP" >"$WORK/dns.log" 2>&1 &
SERVER_PIDS+=($!)
wait_for_line "$WORK/dns.log" '^ready' 10 "${SERVER_PIDS[-1]}" "DNS responder"

for t in $TRANSPORTS; do
  if [[ $t == streamable ]]; then port=$STREAMABLE_PORT; else port=$SSE_PORT; fi
  log "starting MCP server ($t) on $SRV_IP:$port"
  in_srv "$NODE" "$MCP_NODE_DIR/server.mjs" --transport "$t" --host "$SRV_IP" --port "$port" \
    >"$WORK/server-$t.log" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for_line "$WORK/server-$t.log" '^listening' 30 "${SERVER_PIDS[-1]}" "MCP server ($t)"
done

if [[ $PLAIN_HTTP -eq 1 ]]; then
  mkdir -p "$WORK/www"
  printf '<!doctype html>\n<title>lab</title>\n<p>Plain web page, no MCP here.</p>\n' >"$WORK/www/index.html"
  printf '{"status":"ok","items":[1,2,3]}\n' >"$WORK/www/status.json"
  log "starting plain HTTP server on $SRV_IP:$WEB_PORT"
  in_srv python3 -u -m http.server "$WEB_PORT" --bind "$SRV_IP" --directory "$WORK/www" >"$WORK/web.log" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for_line "$WORK/web.log" 'Serving HTTP' 10 "${SERVER_PIDS[-1]}" "plain HTTP server"
fi

if [[ -n ${CAPTURE_CMD:-} ]]; then
  capture_cmd=${CAPTURE_CMD//\{iface\}/$IF_CLI}
  log "starting capture in $NS_CLI: $capture_cmd"
  # Job control gives the capture its own process group and keeps SIGINT deliverable
  # (background jobs of a non-interactive shell otherwise ignore SIGINT).
  set -m
  ip netns exec "$NS_CLI" bash -c "$capture_cmd" >"$WORK/capture.log" 2>&1 </dev/null &
  CAPTURE_PID=$!
  set +m
  if [[ -n ${CAPTURE_READY_PATTERN:-} ]]; then
    wait_for_line "$WORK/capture.log" "$CAPTURE_READY_PATTERN" "$CAPTURE_READY_TIMEOUT" "$CAPTURE_PID" "capture"
  else
    sleep "$CAPTURE_WARMUP"
    kill -0 "$CAPTURE_PID" 2>/dev/null || die "capture exited during warm-up"
  fi
  log "capture running (pid $CAPTURE_PID)"
fi

log "DNS: A $MCP_NAME and A nx.$MCP_NAME via $SRV_IP"
addr=$(in_cli timeout 20 "$NODE" "$MCP_NODE_DIR/resolve.mjs" --dns-server "$SRV_IP" "$MCP_NAME")
[[ $addr == "$SRV_IP" ]] || die "$MCP_NAME resolved to '$addr', expected $SRV_IP"
if in_cli timeout 20 "$NODE" "$MCP_NODE_DIR/resolve.mjs" --dns-server "$SRV_IP" "nx.$MCP_NAME" 2>>"$WORK/resolve.log"; then
  die "nx.$MCP_NAME unexpectedly resolved"
fi
log "DNS: $MCP_NAME -> $addr, nx.$MCP_NAME -> NXDOMAIN"

for t in $TRANSPORTS; do
  if [[ $t == streamable ]]; then url=http://$MCP_NAME:$STREAMABLE_PORT/mcp; else url=http://$MCP_NAME:$SSE_PORT/sse; fi
  log "MCP session ($t): $url as client '$CLIENT_NAME'"
  line=$(in_cli timeout 60 "$NODE" "$MCP_NODE_DIR/client.mjs" --url "$url" --transport "$t" \
    --name "$CLIENT_NAME" --dns-server "$SRV_IP" 2>>"$WORK/client-$t.log") \
    || die "MCP client ($t) failed"
  echo "$line"
  if [[ -n $RESULTS ]]; then echo "$line" >>"$RESULTS"; fi
done

if [[ $PLAIN_HTTP -eq 1 ]]; then
  for path in / /status.json; do
    addr=$(in_cli timeout 20 "$NODE" "$MCP_NODE_DIR/resolve.mjs" --dns-server "$SRV_IP" "$WEB_NAME")
    code=$(in_cli curl -sS --max-time 10 --resolve "$WEB_NAME:$WEB_PORT:$addr" -o /dev/null -w '%{http_code}' \
      "http://$WEB_NAME:$WEB_PORT$path")
    log "plain HTTP: GET http://$WEB_NAME:$WEB_PORT$path -> $code"
    [[ $code == 200 ]] || die "plain HTTP GET $path returned $code"
  done
fi

if [[ -n $CAPTURE_PID ]]; then
  sleep 1 # let the last FIN/ACKs reach the capture
  log "stopping capture (SIGINT)"
  stop_capture
  if [[ -s $WORK/capture.log ]]; then sed 's/^/[capture] /' "$WORK/capture.log" | tail -n 20; fi
fi
log "done: transports [$TRANSPORTS], client name '$CLIENT_NAME'"
