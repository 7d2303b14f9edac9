#!/bin/sh
# Regenerates src/test/resources/io/mcpwarden/flow/corpus-golden.txt from the corpus captures with tshark
# (an independent implementation): Community ID of every TCP/UDP conversation and, per TCP stream, the
# length and SHA-256 of each side's reassembled bytes as printed by `-z follow,tcp,raw`.
# Usage: sh src/test/tshark-golden.sh /work/shared/corpus/mcp > src/test/resources/io/mcpwarden/flow/corpus-golden.txt
set -eu
dir=${1:-/work/shared/corpus/mcp}
for f in "$dir"/*.pcap; do
  name=$(basename "$f")
  tshark -r "$f" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -un > /tmp/tcp.$$
  tshark --enable-protocol communityid -r "$f" -Y tcp -T fields -E separator=' ' \
      -e tcp.stream -e ip.src -e tcp.srcport -e ip.dst -e tcp.dstport -e communityid 2>/dev/null |
    awk -v n="$name" '!s[$1]++ { print n, "flow tcp", $0 }'
  tshark --enable-protocol communityid -r "$f" -Y 'udp && !icmp' -T fields -E separator=' ' \
      -e udp.stream -e ip.src -e udp.srcport -e ip.dst -e udp.dstport -e communityid 2>/dev/null |
    awk -v n="$name" '!s[$1]++ { print n, "flow udp", $0 }'
  for s in $(cat /tmp/tcp.$$); do
    out=$(tshark -r "$f" -q -z follow,tcp,raw,"$s" 2>/dev/null)
    n0=$(printf '%s\n' "$out" | sed -n 's/^Node 0: //p')
    n1=$(printf '%s\n' "$out" | sed -n 's/^Node 1: //p')
    body=$(printf '%s\n' "$out" | sed -n '/^Node 1: /,/^=====/p' | sed '1d;$d')
    h0=$(printf '%s\n' "$body" | grep -v "$(printf '^\t')" | tr -d '\n' | xxd -r -p | tee /tmp/b0.$$ | sha256sum | cut -c1-64)
    h1=$(printf '%s\n' "$body" | grep "$(printf '^\t')" | tr -d '\t\n' | xxd -r -p | tee /tmp/b1.$$ | sha256sum | cut -c1-64)
    echo "$name follow $s $n0 $n1 $(wc -c < /tmp/b0.$$) $h0 $(wc -c < /tmp/b1.$$) $h1"
  done
  rm -f /tmp/tcp.$$ /tmp/b0.$$ /tmp/b1.$$
done
