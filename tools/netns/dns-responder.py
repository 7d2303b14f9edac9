#!/usr/bin/env python3
"""Tiny authoritative DNS responder for test namespaces (UDP only, standard library only).

usage: dns-responder.py --listen IP [--port 53] NAME=IPv4 [NAME=IPv4 ...]

Answers A queries for the given names; other types for a known name get an empty NOERROR
answer, unknown names get NXDOMAIN. Prints "ready IP:PORT" on stdout once bound and one
line per query on stderr. Stops on SIGINT/SIGTERM.
"""
import argparse
import signal
import socket
import struct
import sys


def parse_question(msg):
    """Returns (qname, qtype, end offset of the question) of the first question."""
    labels, off = [], 12
    while True:
        n = msg[off]
        if n == 0:
            off += 1
            break
        if n & 0xC0:
            raise ValueError("compression in question")
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    qtype, _qclass = struct.unpack("!HH", msg[off:off + 4])
    return ".".join(labels).lower(), qtype, off + 4


def answer(msg, records):
    qid, flags, qdcount = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qdcount != 1:
        return None, None
    qname, qtype, qend = parse_question(msg)
    rd = flags & 0x0100
    addr = records.get(qname)
    ancount, rcode, rdata = 0, 0, b""
    if addr is None:
        rcode = 3  # NXDOMAIN
    elif qtype == 1:  # A
        ancount = 1
        rdata = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(addr)
    # flags: QR, AA, RD copied, RA, rcode
    rflags = 0x8000 | 0x0400 | rd | 0x0080 | rcode
    header = struct.pack("!HHHHHH", qid, rflags, 1, ancount, 0, 0)
    return header + msg[12:qend] + rdata, (qname, qtype, rcode, addr if ancount else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("records", nargs="+", metavar="NAME=IPv4")
    args = ap.parse_args()
    records = {}
    for rec in args.records:
        name, _, ip = rec.partition("=")
        socket.inet_aton(ip)
        records[name.rstrip(".").lower()] = ip

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.listen, args.port))
    print(f"ready {args.listen}:{args.port}", flush=True)
    try:
        while True:
            msg, peer = sock.recvfrom(4096)
            try:
                reply, info = answer(msg, records)
            except (ValueError, IndexError, struct.error) as e:
                print(f"dns: bad query from {peer[0]}: {e}", file=sys.stderr, flush=True)
                continue
            if reply:
                sock.sendto(reply, peer)
                print(f"dns: {peer[0]} {info[0]} type={info[1]} rcode={info[2]} -> {info[3]}", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
