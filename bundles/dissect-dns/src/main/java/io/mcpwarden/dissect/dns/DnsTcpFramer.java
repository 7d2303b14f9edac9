package io.mcpwarden.dissect.dns;

import java.util.List;
import java.util.function.Consumer;

/**
 * Splits one direction of a DNS-over-TCP stream into messages (RFC 7766 §8, RFC 1035 §4.2.2: each message
 * is preceded by a two-byte length) and parses each with {@link DnsDissector#parse}. Messages may be split
 * across feeds, and one feed may carry several. A message that arrives whole in one feed is parsed in place;
 * otherwise it is collected in a buffer that never exceeds {@link #MAX_BUFFER} bytes.
 *
 * <p>Not thread-safe: use one instance per direction of a TCP connection.
 */
public final class DnsTcpFramer {
    /** Length prefix size. */
    static final int PREFIX = 2;
    /** Upper bound of the reassembly buffer: prefix plus the largest message (64 KiB - 1). */
    public static final int MAX_BUFFER = 65535 + PREFIX;
    /** Initial buffer size; grows to the size of the message being collected. */
    static final int INITIAL_BUFFER = 512;

    private byte[] pending = new byte[0];
    /** Bytes collected for the current message, prefix included. */
    private int have;
    /** After {@link #gap()}: the next feed must start a plausible message, or the direction stays unsynced. */
    private boolean resync;
    private boolean resyncReported;

    /**
     * Consumes {@code buf[off, off+len)} and hands every message completed by it to {@code out}, in order.
     * Invalid regions are ignored.
     */
    public void feed(byte[] buf, int off, int len, Consumer<DnsParse> out) {
        if (!DnsDissector.validRegion(buf, off, len) || out == null) {
            return;
        }
        int p = off;
        int end = off + len;
        if (resync) {
            if (len == 0) {
                return;
            }
            if (!startsPlausibly(buf, off, len)) {
                if (!resyncReported) {
                    resyncReported = true;
                    out.accept(new DnsParse(null, List.of(DnsAnomaly.TCP_RESYNC_FAILED), false));
                }
                return;
            }
            resync = false;
            resyncReported = false;
        }
        while (p < end) {
            if (have == 0 && end - p >= PREFIX) {
                int msgLen = u16(buf, p);
                if (msgLen == 0) {
                    out.accept(new DnsParse(null, List.of(DnsAnomaly.TCP_ZERO_LENGTH), false));
                    p += PREFIX;
                    continue;
                }
                if (end - p - PREFIX >= msgLen) {
                    // Whole message in this feed: parse in place, no copy.
                    out.accept(DnsDissector.parse(buf, p + PREFIX, msgLen));
                    p += PREFIX + msgLen;
                    continue;
                }
            }
            // Collect: first the prefix, then the message body.
            if (have < PREFIX) {
                ensure(PREFIX);
                int n = Math.min(PREFIX - have, end - p);
                System.arraycopy(buf, p, pending, have, n);
                have += n;
                p += n;
                if (have < PREFIX) {
                    break;
                }
                if (u16(pending, 0) == 0) {
                    out.accept(new DnsParse(null, List.of(DnsAnomaly.TCP_ZERO_LENGTH), false));
                    have = 0;
                    continue;
                }
            }
            int total = PREFIX + u16(pending, 0);
            ensure(total);
            int n = Math.min(total - have, end - p);
            System.arraycopy(buf, p, pending, have, n);
            have += n;
            p += n;
            if (have == total) {
                out.accept(DnsDissector.parse(pending, PREFIX, total - PREFIX));
                have = 0;
            }
        }
    }

    /**
     * Forgets any partial message: call when bytes of the stream were lost. The next feed is accepted only if it
     * starts with a length prefix followed by something {@link DnsDissector#looksLikeDns} accepts; until then
     * feeds are dropped and one {@link DnsAnomaly#TCP_RESYNC_FAILED} is reported.
     */
    public void gap() {
        have = 0;
        resync = true;
        resyncReported = false;
        if (pending.length > INITIAL_BUFFER) {
            pending = new byte[0];
        }
    }

    /** @return bytes currently held for an incomplete message (for tests and accounting) */
    public int buffered() {
        return have;
    }

    private static boolean startsPlausibly(byte[] buf, int off, int len) {
        if (len < PREFIX) {
            return false;
        }
        int msgLen = u16(buf, off);
        return msgLen > 0 && DnsDissector.looksLikeDns(buf, off + PREFIX, Math.min(msgLen, len - PREFIX));
    }

    private void ensure(int size) {
        if (pending.length < size) {
            int n = Math.max(size, Math.min(MAX_BUFFER, Math.max(INITIAL_BUFFER, pending.length * 2)));
            byte[] b = new byte[Math.min(n, MAX_BUFFER)];
            System.arraycopy(pending, 0, b, 0, have);
            pending = b;
        }
    }

    private static int u16(byte[] buf, int p) {
        return ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
    }
}
