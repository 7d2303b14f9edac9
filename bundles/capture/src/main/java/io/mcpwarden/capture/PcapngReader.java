package io.mcpwarden.capture;

import java.io.IOException;
import java.nio.ByteOrder;

/** pcapng reader (draft-ietf-opsawg-pcapng): SHB, IDB, EPB, SPB and the obsolete PB; other blocks are skipped. */
final class PcapngReader implements PacketSource {
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int BT_IDB = 1;
    static final int BT_PB = 2;
    static final int BT_SPB = 3;
    static final int BT_EPB = 6;
    /** Decryption Secrets Block (draft-ietf-opsawg-pcapng §4.7). */
    static final int BT_DSB = 0x0A;
    /** Largest secrets payload read from one Decryption Secrets Block. */
    static final int MAX_SECRETS = 1 << 20;
    static final int MIN_BLOCK = 12;
    static final int MIN_SHB = 28;
    static final int MIN_IDB = 20;
    static final int MIN_EPB = 32;
    static final int MIN_SPB = 16;
    static final int MIN_PB = 32;
    static final int OPT_IF_TSRESOL = 9;
    static final int OPT_IF_TSOFFSET = 14;
    /** Interfaces accepted per section. */
    static final int MAX_INTERFACES = 1024;
    /** Interface Description Blocks larger than this have their options ignored. */
    static final int MAX_IDB_OPTIONS_BLOCK = 65_536;
    /** Default if_tsresol: microseconds. */
    static final int DEFAULT_TSRESOL = 6;

    private final FileWindow w;
    private final int[] ifLinkType = new int[MAX_INTERFACES];
    private final int[] ifSnaplen = new int[MAX_INTERFACES];
    private final int[] ifTsresol = new int[MAX_INTERFACES];
    private final long[] ifTsOffsetSec = new long[MAX_INTERFACES];
    private int interfaces;
    private long pos;
    private long lastTs;
    private boolean done;
    private CaptureStatus status = CaptureStatus.OK;
    private java.util.function.ObjIntConsumer<byte[]> secrets;

    PcapngReader(FileWindow w) throws IOException {
        this.w = w;
        int idx = w.require(0, MIN_SHB);
        if (idx < 0) {
            throw new CaptureFormatException("pcapng section header too short (" + w.size() + " bytes)", 0);
        }
        int bom = w.getIntBE(idx + 8);
        if (bom == BYTE_ORDER_MAGIC) {
            w.order(ByteOrder.BIG_ENDIAN);
        } else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) {
            w.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            throw new CaptureFormatException(String.format("bad pcapng byte-order magic 0x%08x", bom), 8);
        }
        long len = w.getUInt(idx + 4);
        if (len < MIN_SHB || (len & 3) != 0) {
            throw new CaptureFormatException("bad pcapng section header length " + len, 4);
        }
        if (len > w.size()) {
            throw new CaptureFormatException("pcapng section header cut short (length " + len + ", file "
                    + w.size() + " bytes)", 0);
        }
        pos = 0;
    }

    @Override
    public boolean next(PacketRecord into) throws IOException {
        while (!done) {
            long off = pos;
            long left = w.size() - off;
            if (left <= 0) {
                done = true;
                return false;
            }
            int idx = w.require(off, MIN_BLOCK);
            if (idx < 0) {
                return stop(off, "block header cut short at end of file (" + left + " bytes left)");
            }
            int type = w.getInt(idx);
            if (type == CaptureFiles.PCAPNG_SHB) {
                int bom = w.getIntBE(idx + 8);
                if (bom == BYTE_ORDER_MAGIC) {
                    w.order(ByteOrder.BIG_ENDIAN);
                } else if (Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC) {
                    w.order(ByteOrder.LITTLE_ENDIAN);
                } else {
                    return stop(off, String.format("bad byte-order magic 0x%08x in section header", bom));
                }
            }
            long len = w.getUInt(idx + 4);
            if (len < MIN_BLOCK || (len & 3) != 0) {
                return stop(off, "invalid block length " + len + " (block type 0x" + Integer.toHexString(type) + ")");
            }
            if (len > left) {
                return stop(off, "block cut short at end of file (length " + len + ", " + left + " bytes left)");
            }
            switch (type) {
                case CaptureFiles.PCAPNG_SHB:
                    if (!section(off, len)) {
                        return false;
                    }
                    break;
                case BT_IDB:
                    if (!interfaceDescription(off, len)) {
                        return false;
                    }
                    break;
                case BT_EPB:
                    return enhancedPacket(off, len, into);
                case BT_SPB:
                    return simplePacket(off, len, into);
                case BT_PB:
                    return obsoletePacket(off, len, into);
                case BT_DSB:
                    decryptionSecrets(off, len);
                    break;
                default:
                    break; // skip unknown and uninteresting blocks by their length
            }
            pos = off + len;
        }
        return false;
    }

    @Override
    public void onDecryptionSecrets(java.util.function.ObjIntConsumer<byte[]> listener) {
        this.secrets = listener;
    }

    /** Secrets Type (4), Secrets Length (4), Secrets Data; a block that does not add up is skipped. */
    private void decryptionSecrets(long off, long len) throws IOException {
        if (secrets == null || len < 20) {
            return;
        }
        int idx = w.require(off, 16);
        if (idx < 0) {
            return;
        }
        int type = w.getInt(idx + 8);
        long n = w.getUInt(idx + 12);
        if (n > MAX_SECRETS || 16 + n + 4 > len) {
            return;
        }
        int d = w.require(off + 16, (int) n);
        if (d < 0) {
            return;
        }
        secrets.accept(java.util.Arrays.copyOfRange(w.array(), d, d + (int) n), type);
    }

    private boolean section(long off, long len) throws IOException {
        if (len < MIN_SHB) {
            return stop(off, "section header block too short (" + len + " bytes)");
        }
        int idx = w.require(off, MIN_SHB);
        if (idx < 0) {
            return stop(off, "section header cut short at end of file");
        }
        int major = w.getUShort(idx + 12);
        if (major != 1) {
            return stop(off, "unsupported pcapng version " + major + "." + w.getUShort(idx + 14));
        }
        interfaces = 0;
        return true;
    }

    private boolean interfaceDescription(long off, long len) throws IOException {
        if (len < MIN_IDB) {
            return stop(off, "interface description block too short (" + len + " bytes)");
        }
        if (interfaces >= MAX_INTERFACES) {
            return stop(off, "more than " + MAX_INTERFACES + " interfaces in one section");
        }
        int readLen = (int) Math.min(len, MAX_IDB_OPTIONS_BLOCK);
        int idx = w.require(off, readLen);
        if (idx < 0) {
            return stop(off, "interface description block cut short at end of file");
        }
        int i = interfaces;
        ifLinkType[i] = w.getUShort(idx + 8);
        ifSnaplen[i] = w.getInt(idx + 12);
        ifTsresol[i] = DEFAULT_TSRESOL;
        ifTsOffsetSec[i] = 0;
        if (len <= MAX_IDB_OPTIONS_BLOCK) {
            int p = idx + 16;
            int end = idx + (int) len - 4;
            while (end - p >= 4) {
                int code = w.getUShort(p);
                int olen = w.getUShort(p + 2);
                if (code == 0 || olen > end - p - 4) {
                    break;
                }
                if (code == OPT_IF_TSRESOL && olen >= 1) {
                    ifTsresol[i] = w.array()[p + 4] & 0xFF;
                } else if (code == OPT_IF_TSOFFSET && olen >= 8) {
                    ifTsOffsetSec[i] = w.getLong(p + 4);
                }
                p += 4 + ((olen + 3) & ~3);
            }
        }
        interfaces++;
        return true;
    }

    private boolean enhancedPacket(long off, long len, PacketRecord into) throws IOException {
        if (len < MIN_EPB) {
            return stop(off, "enhanced packet block too short (" + len + " bytes)");
        }
        int idx = w.require(off, 28);
        if (idx < 0) {
            return stop(off, "enhanced packet block cut short at end of file");
        }
        long ifId = w.getUInt(idx + 8);
        if (ifId >= interfaces) {
            return stop(off, "enhanced packet block on unknown interface " + ifId);
        }
        long units = (w.getUInt(idx + 12) << 32) | w.getUInt(idx + 16);
        long caplen = w.getUInt(idx + 20);
        long origLen = w.getUInt(idx + 24);
        if (caplen > CaptureFiles.MAX_CAPLEN) {
            return stop(off, "absurd captured length " + caplen);
        }
        if (28 + ((caplen + 3) & ~3L) + 4 > len) {
            return stop(off, "captured length " + caplen + " exceeds block length " + len);
        }
        int i = (int) ifId;
        return deliver(off, len, 28, (int) caplen, origLen, ifLinkType[i], toNanos(units, ifTsresol[i], ifTsOffsetSec[i]),
                into);
    }

    private boolean simplePacket(long off, long len, PacketRecord into) throws IOException {
        if (len < MIN_SPB) {
            return stop(off, "simple packet block too short (" + len + " bytes)");
        }
        if (interfaces == 0) {
            return stop(off, "simple packet block without an interface description");
        }
        int idx = w.require(off, 12);
        if (idx < 0) {
            return stop(off, "simple packet block cut short at end of file");
        }
        long origLen = w.getUInt(idx + 8);
        long caplen = Math.min(origLen, len - MIN_SPB);
        if (ifSnaplen[0] > 0) {
            caplen = Math.min(caplen, ifSnaplen[0]);
        }
        if (caplen > CaptureFiles.MAX_CAPLEN) {
            return stop(off, "absurd captured length " + caplen);
        }
        return deliver(off, len, 12, (int) caplen, origLen, ifLinkType[0], lastTs, into);
    }

    private boolean obsoletePacket(long off, long len, PacketRecord into) throws IOException {
        if (len < MIN_PB) {
            return stop(off, "packet block too short (" + len + " bytes)");
        }
        int idx = w.require(off, 28);
        if (idx < 0) {
            return stop(off, "packet block cut short at end of file");
        }
        int ifId = w.getUShort(idx + 8);
        if (ifId >= interfaces) {
            return stop(off, "packet block on unknown interface " + ifId);
        }
        long units = (w.getUInt(idx + 12) << 32) | w.getUInt(idx + 16);
        long caplen = w.getUInt(idx + 20);
        long origLen = w.getUInt(idx + 24);
        if (caplen > CaptureFiles.MAX_CAPLEN) {
            return stop(off, "absurd captured length " + caplen);
        }
        if (28 + ((caplen + 3) & ~3L) + 4 > len) {
            return stop(off, "captured length " + caplen + " exceeds block length " + len);
        }
        return deliver(off, len, 28, (int) caplen, origLen, ifLinkType[ifId],
                toNanos(units, ifTsresol[ifId], ifTsOffsetSec[ifId]), into);
    }

    private boolean deliver(long off, long len, int dataAt, int caplen, long origLen, int linkType, long ts,
                            PacketRecord into) throws IOException {
        int d = w.require(off + dataAt, caplen);
        if (d < 0) {
            return stop(off, "packet data cut short at end of file");
        }
        if (into.data == null || into.data.length < caplen) {
            into.data = new byte[Math.max(caplen, 2048)];
        }
        System.arraycopy(w.array(), d, into.data, 0, caplen);
        into.offset = 0;
        into.caplen = caplen;
        into.origLen = (int) Math.min(origLen, Integer.MAX_VALUE);
        into.linkType = linkType;
        into.tsNanos = ts;
        into.fileOffset = off;
        lastTs = ts;
        pos = off + len;
        return true;
    }

    /**
     * Converts a pcapng timestamp to epoch nanoseconds. {@code tsresol}: high bit clear = 10^-n seconds per unit,
     * high bit set = 2^-n seconds per unit (pcapng if_tsresol option). Units are unsigned 64-bit.
     */
    static long toNanos(long units, int tsresol, long offsetSec) {
        long nanos;
        int n = tsresol & 0x7F;
        if ((tsresol & 0x80) == 0) {
            if (n <= 9) {
                nanos = units * POW10[9 - n];
            } else if (n <= 19) {
                nanos = Long.divideUnsigned(units, POW10[n - 9]);
            } else {
                nanos = 0;
            }
        } else {
            if (n == 0) {
                nanos = units * 1_000_000_000L;
            } else if (n < 64) {
                long sec = units >>> n;
                long frac = units & ((1L << n) - 1);
                long fracNanos;
                if (n <= 33) {
                    fracNanos = (frac * 1_000_000_000L) >>> n;
                } else {
                    fracNanos = ((frac >>> (n - 33)) * 1_000_000_000L) >>> 33;
                }
                nanos = sec * 1_000_000_000L + fracNanos;
            } else {
                nanos = 0;
            }
        }
        return nanos + offsetSec * 1_000_000_000L;
    }

    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L};

    private boolean stop(long offset, String reason) {
        done = true;
        status = new CaptureStatus("truncated", offset, reason);
        return false;
    }

    @Override
    public CaptureStatus status() {
        return status;
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public long size() {
        return w.size();
    }

    @Override
    public void close() throws IOException {
        done = true;
        w.close();
    }
}
