#!/bin/sh
# Regenerates the TLS fixtures from the shared corpus with tshark.
# Usage: make-fixtures.sh /work/shared/corpus
#   tls-hellos.tsv : one line per ClientHello/ServerHello frame: pcap, frame, tcp.stream, handshake type,
#                    tcp.payload, then the fields listed in TlsCorpusTest.FIELDS (tshark's own values)
#   <pcap>-stream<N>.txt : tshark "follow,tcp,raw" of each TLS stream (lines with a leading tab = server)
C=${1:-/work/shared/corpus}
for f in N5 P3; do
  tshark -r "$C/mcp/$f.pcap" -Y 'tls.handshake.type==1 || tls.handshake.type==2' -T fields -E separator=/t \
    -E occurrence=a -E aggregator=, -e frame.number -e tcp.stream -e tls.handshake.type -e tcp.payload \
    -e tls.handshake.version -e tls.handshake.ciphersuite -e tls.handshake.extension.type \
    -e tls.handshake.sig_hash_alg -e tls.handshake.extensions_alpn_str -e tls.handshake.extensions_server_name \
    -e tls.handshake.extensions.supported_version -e tls.handshake.extensions_supported_group 2>/dev/null \
    | sed "s|^|$f\t|"
  for s in 0 1 2; do
    tshark -r "$C/mcp/$f.pcap" -q -z follow,tcp,raw,$s 2>/dev/null > "$f-stream$s.txt"
  done
done > tls-hellos.tsv
