#!/bin/sh
# Regenerates dns-corpus.tsv from the shared corpus with tshark (fields listed in DnsCorpusTest.FIELDS).
# Usage: make-fixtures.sh /work/shared/corpus > dns-corpus.tsv
C=${1:-/work/shared/corpus}
for f in mcp/N5.pcap mcp/P3.pcap mcp/P1.pcap robustness/dns_udp.pcap robustness/dns_tcp.pcap \
         robustness/dnssec.pcap robustness/edns-opts.pcap robustness/dns-uri.pcap robustness/dns-badvers.pcap; do
  tshark -r "$C/$f" -Y 'dns && !icmp' -T fields -E separator=/t -E occurrence=a -E aggregator=, \
    -e frame.number -e udp.payload -e tcp.payload -e dns.id -e dns.flags.response -e dns.flags.opcode \
    -e dns.flags.rcode -e dns.flags.truncated -e dns.qry.name -e dns.qry.type -e dns.count.answers \
    -e dns.resp.name -e dns.resp.type -e dns.resp.ttl -e dns.a -e dns.aaaa -e dns.cname -e dns.ns 2>/dev/null \
    | sed "s|^|$f\t|"
done
