#!/usr/bin/env bash
# Regenerates demo/demo.pcap: tcpdump on the client interface while mcp-live.sh runs a
# Streamable HTTP session, a legacy HTTP+SSE session, DNS look-ups and plain HTTP.
#
#   tools/netns/record-demo.sh [OUTPUT.pcap]      (default: demo/demo.pcap)
#
# Needs root, tcpdump, iproute2, python3, curl and node with tools/mcp-node/node_modules.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$ROOT/demo/demo.pcap}
MAX_BYTES=$((200 * 1024))

command -v tcpdump >/dev/null || { echo "record-demo: tcpdump not found" >&2; exit 1; }
TMP=$(mktemp -d /tmp/record-demo.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# -U: write each packet at once; -Z root: keep writing as root into the temporary folder
CAPTURE_CMD="tcpdump -i {iface} -n -U -s 0 -Z root -w $TMP/demo.pcap" \
CAPTURE_READY_PATTERN='listening on' \
  "$HERE/mcp-live.sh" --plain-http --client-name warden-demo-client --results "$TMP/sessions.jsonl"

size=$(stat -c %s "$TMP/demo.pcap")
[[ $size -gt 0 && $size -lt $MAX_BYTES ]] || { echo "record-demo: capture is $size bytes (want 1..$MAX_BYTES)" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
cp "$TMP/demo.pcap" "$OUT"
echo "record-demo: wrote $OUT ($size bytes); sessions:"
cat "$TMP/sessions.jsonl"
