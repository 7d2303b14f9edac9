#!/usr/bin/env bash
# Whole-process benchmark of `warden inspect` beside reference tools, in the same interleaved rounds.
#
#   bench/pipeline-vs-anchors.sh [PCAP]
#
# Without PCAP it builds ../shared/bench's realistic bulk capture (SCALE=0.13, ~220 MB, needs root and the
# packages listed in ../shared/bench/README.md) into /tmp/bench-data/. Then it runs ../shared/bench/anchors.sh
# with `warden inspect` as the project command (ratios project/anchor, peak RSS), extracts the names warden
# found (DNS query names, SNIs, HTTP hosts, MCP endpoints) and scores them with correctness.sh against the
# capture's ground truth. Traffic stays inside the two network namespaces the capture script creates.
# Env: RUNS (default 3), TOOLS (default "cat tcpdump javawalk ndpi tshark"), SCALE, WARDEN_JAVA_OPTS.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${WARDEN_SHARED:-$ROOT/../shared}
BENCH=$SHARED/bench
PCAP=${1:-/tmp/bench-data/bulk$(awk -v s="${SCALE:-0.13}" 'BEGIN{print int(s*1000)}').pcap}
OUT=${OUTDIR:-/tmp/warden-bench}
mkdir -p "$OUT"

if [ ! -s "$PCAP" ]; then
  echo "building bulk capture $PCAP (SCALE=${SCALE:-0.13})" >&2
  SCALE=${SCALE:-0.13} bash "$BENCH/make-bulk-pcap.sh" "$PCAP"
fi
[ -x "$ROOT/bundles/launcher/target/warden/lib/warden-launcher.jar" ] || [ -f "$ROOT/bundles/launcher/target/warden/lib/warden-launcher.jar" ] \
  || (cd "$ROOT" && mvn -q -B -DskipTests install)

EVENTS=$OUT/warden-events.jsonl
PROJECT_CMD="$ROOT/warden inspect --pcap {pcap} --events $EVENTS" \
  RUNS=${RUNS:-3} TOOLS=${TOOLS:-"cat tcpdump javawalk ndpi tshark"} OUTDIR=$OUT \
  bash "$BENCH/anchors.sh" "$PCAP"

python3 - "$EVENTS" "$OUT/warden-names.tsv" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src) as f, open(dst, "w") as o:
    for line in f:
        e = json.loads(line)
        t = e.get("event_type")
        if t == "dns" and e["dns"].get("type") == "query":
            o.write("dns\t%s\n" % e["dns"].get("rrname", ""))
        elif t == "tls" and e["tls"].get("sni"):
            o.write("sni\t%s\n" % e["tls"]["sni"])
        elif t == "http":
            o.write("host\t%s\n" % e["http"].get("hostname", ""))
        elif t == "mcp":
            o.write("mcp\t%s\n" % e["mcp"].get("endpoint", ""))
PY
PROJECT_NAMES=$OUT/warden-names.tsv bash "$BENCH/correctness.sh" "$PCAP" "$OUT"
