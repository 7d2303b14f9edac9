#!/usr/bin/env bash
# Whole-process cost of judging with rules: `warden inspect` on the same capture with the shipped rule pack and
# the example registry, and with --no-rules as the reference, in alternating rounds of the same build.
#
#   bench/rules-overhead.sh PCAP [ROUNDS]          (ROUNDS pairs, default 5)
#   COPIES=3 bench/rules-overhead.sh PCAP          (the capture COPIES times in one process, one after the other
#                                                   via --pcap-dir --jobs 1 (JOBS): a longer run, as an appliance
#                                                   that has started and keeps seeing the same names)
#
# With COPIES >= 3 it also prints the median seconds of each copy (from inspect's per-file lines) and the
# steady-state ratio: the copies after the second, once the JIT has compiled the hot paths and the rules have
# seen the capture's names (the verdict TTL is 60 s), rules against no rules; and the first copy's ratio, which
# carries the start-up (rule compile, JIT warm-up, first sightings).
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
  printf '%s %.2f %.2f %s\n' "$label" "$(echo "$t1 - $t0" | bc)" "$cpu" \
    "$(grep -oE 'events, [0-9.]+ s$' "$OUT/stderr" | awk '{printf "%s,", $2}')"
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
copies = {label: [[float(x) for x in r[3].strip(',').split(',')] for r in rows if r[0] == label and len(r) > 3]
          for label in ("no-rules", "rules")}
n = min((len(c) for v in copies.values() for c in v), default=0)
if n >= 3:
    per = {label: [statistics.median(c[i] for c in v) for i in range(n)] for label, v in copies.items()}
    for label in ("no-rules", "rules"):
        print(f"{label:9s} median seconds per copy: {' '.join(f'{x:.2f}' for x in per[label])}")
    steady = {label: statistics.median(sum(c[2:n]) for c in v) for label, v in copies.items()}
    pairs = [sum(b[2:n]) / sum(a[2:n]) for a, b in zip(copies["no-rules"], copies["rules"])]
    print(f"steady state (copies 3..{n}): rules/no-rules {steady['rules'] / steady['no-rules']:.3f} "
          f"(per pair {', '.join(f'{p:.2f}' for p in pairs)}); first copy {per['rules'][0] / per['no-rules'][0]:.3f}")
PY
