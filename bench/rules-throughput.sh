#!/usr/bin/env bash
# Throughput of the pipeline with the shipped rules against without, in one JVM, once the JIT has compiled both
# paths: io.mcpwarden.bench.InspectFile alternates rounds without rules and rounds judged by a policy opened
# before the round with empty caches (every name of the capture is new to it), and prints each pair's time
# ratio and the median, after the first judged round, of each judged round against the two rounds around it.
#
#   bench/rules-throughput.sh PCAP [ROUNDS]      (ROUNDS rounds, odd, default 13: 6 judged between 7 without)
#
# Env: JAVA_OPTS (default -Xmx1g -XX:+UseSerialGC, as the appliance), THREADS (pipeline threads, default 1).
# bench/rules-overhead.sh measures the whole process instead, start-up included.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PCAP=${1:?usage: bench/rules-throughput.sh PCAP [ROUNDS]}
ROUNDS=${2:-13}
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -Pbench -DskipTests install -pl benchmarks -am)
echo "capture $PCAP, $ROUNDS rounds, $(nproc) cores"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xmx1g -XX:+UseSerialGC} -Dthreads="${THREADS:-1}" -Drules="$ROOT/detection-rules/rules" \
  -Dregistry="$ROOT/detection-rules/registry.example.yaml" -cp "$JAR" io.mcpwarden.bench.InspectFile "$PCAP" "$ROUNDS" \
  2>/dev/null | sed -E 's/, events \{[^}]*\}//'
