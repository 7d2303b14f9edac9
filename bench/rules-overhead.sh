#!/usr/bin/env bash
# Whole-process cost of judging with rules: `warden inspect` on the same capture with the shipped rule pack and
# the example registry, and with --no-rules as the reference, in alternating rounds of the same build.
#
#   bench/rules-overhead.sh PCAP [ROUNDS]          (ROUNDS pairs, default 5)
#   COPIES=3 bench/rules-overhead.sh PCAP          (the capture COPIES times in one process, one after the other
#                                                   via --pcap-dir --jobs 1 (JOBS): a longer run, as an appliance
#                                                   that has started and keeps seeing the same names)
#
# Prints per round: wall seconds, user+sys CPU seconds and the pipeline's own time from the summary line; then the
# medians and the ratios rules/no-rules (wall, CPU). Env: WARDEN_JAVA_OPTS is passed through; THREADS (--threads).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PCAP=${1:?usage: bench/rules-overhead.sh PCAP [ROUNDS]}
ROUNDS=${2:-5}
COPIES=${COPIES:-1}
THREADS=${THREADS:-1}
OUT=$(mktemp -d /tmp/warden-rules-overhead.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
[ -f "$ROOT/bundles/launcher/target/warden/lib/warden-launcher.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests install)

if [ "$COPIES" -gt 1 ]; then
  mkdir -p "$OUT/in"
  for i in $(seq "$COPIES"); do ln -s "$(readlink -f "$PCAP")" "$OUT/in/copy$i.pcap"; done
  SRC=(--pcap-dir "$OUT/in" --events-dir "$OUT/ev" --jobs "${JOBS:-1}" --no-keylog)
else
  SRC=(--pcap "$PCAP" --events "$OUT/events.jsonl" --no-keylog)
fi

run() { # $1 = label, rest = extra args; prints "label wall cpu"
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$OUT/time" "$ROOT/warden" inspect --threads "$THREADS" "${SRC[@]}" "$@" \
    >"$OUT/stdout" 2>"$OUT/stderr" || { echo "warden failed:" >&2; tail -5 "$OUT/stderr" >&2; exit 1; }
  t1=$(date +%s.%N)
  local cpu
  cpu=$(awk '{print $1 + $2}' "$OUT/time")
  printf '%s %.2f %.2f\n' "$label" "$(echo "$t1 - $t0" | bc)" "$cpu"
}

echo "capture $PCAP x$COPIES, $ROUNDS rounds, threads $THREADS, $(nproc) cores"
: >"$OUT/results"
for r in $(seq "$ROUNDS"); do
  run no-rules --no-rules | tee -a "$OUT/results"
  run rules | tee -a "$OUT/results"
done
python3 - "$OUT/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for label in ("no-rules", "rules"):
    wall = [float(r[1]) for r in rows if r[0] == label]
    cpu = [float(r[2]) for r in rows if r[0] == label]
    med[label] = (statistics.median(wall), statistics.median(cpu))
    print(f"{label:9s} median wall {med[label][0]:.2f} s  cpu {med[label][1]:.2f} s  (wall min {min(wall):.2f} max {max(wall):.2f})")
pairs = [float(rows[i + 1][1]) / float(rows[i][1]) for i in range(0, len(rows) - 1, 2)]
print(f"ratio rules/no-rules: wall {med['rules'][0] / med['no-rules'][0]:.3f} (per pair {', '.join(f'{p:.2f}' for p in pairs)}), "
      f"cpu {med['rules'][1] / med['no-rules'][1]:.3f}")
PY
