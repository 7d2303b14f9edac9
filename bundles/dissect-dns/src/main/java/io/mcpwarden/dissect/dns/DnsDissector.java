package io.mcpwarden.dissect.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one DNS message (RFC 1035 §4.1) from a byte region. Stateless and thread-safe. Never throws on any
 * input: problems are reported as anomaly names ({@link DnsAnomaly}); data that simply ends early is
 * {@link DnsAnomaly#INCOMPLETE}, not malformed.
 */
public final class DnsDissector {
    /** RFC 1035 §4.1.1: the header is 12 octets. */
    static final int HEADER_LENGTH = 12;
    /** Questions kept per message (more are walked, not kept). */
    static final int MAX_QUESTIONS = 16;
    /** Answer records kept per message (more are walked, not kept). */
    static final int MAX_ANSWERS = 256;
    /** Largest QDCOUNT that {@link #looksLikeDns} accepts. */
    static final int MAX_PLAUSIBLE_QDCOUNT = 4;
    /** Largest AN/NS/ARCOUNT that {@link #looksLikeDns} accepts. */
    static final int MAX_PLAUSIBLE_RRCOUNT = 256;
    /** Highest assigned OPCODE (5 UPDATE, RFC 2136); 3 is unassigned. */
    static final int MAX_OPCODE = 5;
    /** RR fixed part after the owner name: TYPE, CLASS, TTL, RDLENGTH (RFC 1035 §4.1.3). */
    private static final int RR_FIXED_LENGTH = 10;
    /** Question fixed part after the name: QTYPE, QCLASS (RFC 1035 §4.1.2). */
    private static final int QUESTION_FIXED_LENGTH = 4;

    private static final DnsParse SHORT = new DnsParse(null, List.of(DnsAnomaly.INCOMPLETE), false);

    private DnsDissector() {
    }

    /**
     * Parses the DNS message in {@code buf[off, off+len)}.
     *
     * @return the parse; {@link DnsParse#message()} is null when fewer than 12 bytes (or an invalid region) were given
     */
    public static DnsParse parse(byte[] buf, int off, int len) {
        if (!validRegion(buf, off, len) || len < HEADER_LENGTH) {
            return SHORT;
        }
        final int end = off + len;
        // RFC 1035 §4.1.1 header.
        int id = u16(buf, off);
        int flags = u16(buf, off + 2);
        boolean qr = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xf;
        boolean tc = (flags & 0x0200) != 0;
        int rcode = flags & 0xf;
        int qdcount = u16(buf, off + 4);
        int ancount = u16(buf, off + 6);
        int nscount = u16(buf, off + 8);
        int arcount = u16(buf, off + 10);

        List<String> anomalies = new ArrayList<>(2);
        List<DnsQuestion> questions = new ArrayList<>(Math.min(qdcount, MAX_QUESTIONS));
        List<DnsRecord> answers = new ArrayList<>(Math.min(ancount, 8));
        int p = off + HEADER_LENGTH;
        boolean complete = true;

        // Question section (RFC 1035 §4.1.2).
        for (int i = 0; i < qdcount && complete; i++) {
            int nameEnd;
            String name = null;
            if (i < MAX_QUESTIONS) {
                DnsNames.Name n = DnsNames.read(buf, off, end, p, end);
                if (!n.ok()) {
                    addAnomaly(anomalies, n.anomaly());
                }
                nameEnd = n.end();
                name = n.text();
            } else {
                addAnomaly(anomalies, DnsAnomaly.TOO_MANY_RECORDS);
                nameEnd = DnsNames.skip(buf, p, end);
                if (nameEnd == DnsNames.END_UNKNOWN) {
                    addAnomaly(anomalies, DnsAnomaly.INCOMPLETE);
                }
            }
            if (nameEnd == DnsNames.END_UNKNOWN) {
                complete = false;
                break;
            }
            if (end - nameEnd < QUESTION_FIXED_LENGTH) {
                addAnomaly(anomalies, DnsAnomaly.INCOMPLETE);
                complete = false;
                break;
            }
            if (name != null) {
                int qtype = u16(buf, nameEnd);
                questions.add(new DnsQuestion(name, qtype, DnsTypes.typeName(qtype)));
            }
            p = nameEnd + QUESTION_FIXED_LENGTH;
        }

        // Answer section (RFC 1035 §4.1.3), then authority and additional walked for bounds only.
        long rrTotal = (long) ancount + nscount + arcount;
        for (long i = 0; i < rrTotal && complete; i++) {
            boolean keep = i < ancount && i < MAX_ANSWERS;
            if (i == MAX_ANSWERS && i < ancount) {
                addAnomaly(anomalies, DnsAnomaly.TOO_MANY_RECORDS);
            }
            String name = null;
            int nameEnd;
            if (keep) {
                DnsNames.Name n = DnsNames.read(buf, off, end, p, end);
                if (!n.ok()) {
                    addAnomaly(anomalies, n.anomaly());
                }
                name = n.text();
                nameEnd = n.end();
            } else {
                nameEnd = DnsNames.skip(buf, p, end);
                if (nameEnd == DnsNames.END_UNKNOWN) {
                    addAnomaly(anomalies, incompleteOrLabel(buf, p, end));
                }
            }
            if (nameEnd == DnsNames.END_UNKNOWN) {
                complete = false;
                break;
            }
            if (end - nameEnd < RR_FIXED_LENGTH) {
                addAnomaly(anomalies, DnsAnomaly.INCOMPLETE);
                complete = false;
                break;
            }
            int type = u16(buf, nameEnd);
            long ttl = u32(buf, nameEnd + 4);
            int rdlen = u16(buf, nameEnd + 8);
            int rdStart = nameEnd + RR_FIXED_LENGTH;
            if (rdlen > end - rdStart) {
                addAnomaly(anomalies, DnsAnomaly.INCOMPLETE);
                complete = false;
                break;
            }
            int rdEnd = rdStart + rdlen;
            if (keep) {
                String rdata = DnsRdata.present(buf, off, end, type, rdStart, rdEnd, anomalies);
                answers.add(new DnsRecord(name, type, DnsTypes.typeName(type), ttl, rdata));
            }
            p = rdEnd;
        }
        if (complete && p < end) {
            addAnomaly(anomalies, DnsAnomaly.TRAILING_DATA);
        }
        DnsMessage msg = new DnsMessage(id, qr, opcode, rcode, DnsTypes.rcodeName(rcode), tc, questions, answers);
        return new DnsParse(msg, anomalies, complete);
    }

    /** Classifies why {@link DnsNames#skip} failed: a bad label byte, else the data ended. */
    private static String incompleteOrLabel(byte[] buf, int p, int end) {
        DnsNames.Name n = DnsNames.read(buf, 0, end, p, end);
        return n.anomaly() != null && n.end() == DnsNames.END_UNKNOWN ? n.anomaly() : DnsAnomaly.INCOMPLETE;
    }

    /**
     * Cheap plausibility check for a DNS message in {@code buf[off, off+len)}, to recognise DNS on any port:
     * QDCOUNT 1..4, other counts at most 256, a known OPCODE (0..5 except 3), Z bit clear, RCODE 0 in queries,
     * and a first question whose name is well formed and whose QCLASS is IN, CH, HS, NONE or ANY.
     */
    public static boolean looksLikeDns(byte[] buf, int off, int len) {
        if (!validRegion(buf, off, len) || len < HEADER_LENGTH + 1 + QUESTION_FIXED_LENGTH) {
            return false;
        }
        int flags = u16(buf, off + 2);
        int opcode = (flags >> 11) & 0xf;
        boolean qr = (flags & 0x8000) != 0;
        if (opcode > MAX_OPCODE || opcode == 3 || (flags & 0x0040) != 0 || (!qr && (flags & 0xf) != 0)) {
            return false;
        }
        int qd = u16(buf, off + 4);
        if (qd < 1 || qd > MAX_PLAUSIBLE_QDCOUNT) {
            return false;
        }
        for (int i = 6; i <= 10; i += 2) {
            if (u16(buf, off + i) > MAX_PLAUSIBLE_RRCOUNT) {
                return false;
            }
        }
        int end = off + len;
        DnsNames.Name n = DnsNames.read(buf, off, end, off + HEADER_LENGTH, end);
        if (!n.ok() || end - n.end() < QUESTION_FIXED_LENGTH) {
            return false;
        }
        // QCLASS: IN 1, CH 3, HS 4, NONE 254, ANY 255 (RFC 1035 §3.2.4, RFC 2136); top bit = mDNS unicast reply.
        int qclass = u16(buf, n.end() + 2) & 0x7fff;
        return qclass == 1 || qclass == 3 || qclass == 4 || qclass == 254 || qclass == 255;
    }

    static boolean validRegion(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
    }

    static void addAnomaly(List<String> anomalies, String name) {
        if (!anomalies.contains(name)) {
            anomalies.add(name);
        }
    }

    private static int u16(byte[] buf, int p) {
        return ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
    }

    private static long u32(byte[] buf, int p) {
        return ((long) u16(buf, p) << 16) | u16(buf, p + 2);
    }
}
