package io.mcpwarden.capture;

import java.io.IOException;
import java.nio.ByteOrder;

/** Classic pcap reader (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html). */
final class PcapReader implements PacketSource {
    static final int FILE_HEADER_BYTES = 24;

    private final FileWindow w;
    private final boolean nanos;
    private final int recordHeaderBytes;
    private final int linkType;
    private long pos;
    private boolean done;
    private CaptureStatus status = CaptureStatus.OK;

    PcapReader(FileWindow w, int magicBE) throws IOException {
        this.w = w;
        int m = magicBE;
        if (m == CaptureFiles.PCAP_MAGIC_US || m == CaptureFiles.PCAP_MAGIC_NS || m == CaptureFiles.PCAP_MAGIC_MODIFIED) {
            w.order(ByteOrder.BIG_ENDIAN);
        } else {
            w.order(ByteOrder.LITTLE_ENDIAN);
            m = Integer.reverseBytes(m);
        }
        nanos = m == CaptureFiles.PCAP_MAGIC_NS;
        recordHeaderBytes = m == CaptureFiles.PCAP_MAGIC_MODIFIED ? 24 : 16;
        int idx = w.require(0, FILE_HEADER_BYTES);
        if (idx < 0) {
            throw new CaptureFormatException("pcap file header too short (" + w.size() + " of "
                    + FILE_HEADER_BYTES + " bytes)", 0);
        }
        int major = w.getUShort(idx + 4);
        if (major != 2) {
            throw new CaptureFormatException("unsupported pcap version " + major + "." + w.getUShort(idx + 6), 4);
        }
        // Link type in the low 16 bits; the upper bits carry FCS information.
        linkType = w.getInt(idx + 20) & 0xFFFF;
        pos = FILE_HEADER_BYTES;
    }

    @Override
    public boolean next(PacketRecord into) throws IOException {
        if (done) {
            return false;
        }
        long off = pos;
        if (off >= w.size()) {
            done = true;
            return false;
        }
        int idx = w.require(off, recordHeaderBytes);
        if (idx < 0) {
            return stop(off, "record header cut short at end of file (" + (w.size() - off) + " bytes left)");
        }
        long sec = w.getUInt(idx);
        long frac = w.getUInt(idx + 4);
        long caplen = w.getUInt(idx + 8);
        long origLen = w.getUInt(idx + 12);
        if (caplen > CaptureFiles.MAX_CAPLEN) {
            return stop(off, "absurd captured length " + caplen);
        }
        int n = (int) caplen;
        int d = w.require(off + recordHeaderBytes, n);
        if (d < 0) {
            return stop(off, "record data cut short at end of file (caplen " + n + ", "
                    + Math.max(0, w.size() - off - recordHeaderBytes) + " bytes left)");
        }
        if (into.data == null || into.data.length < n) {
            into.data = new byte[Math.max(n, 2048)];
        }
        System.arraycopy(w.array(), d, into.data, 0, n);
        into.offset = 0;
        into.caplen = n;
        into.origLen = (int) Math.min(origLen, Integer.MAX_VALUE);
        into.linkType = linkType;
        into.tsNanos = sec * 1_000_000_000L + (nanos ? frac : frac * 1_000L);
        into.fileOffset = off;
        pos = off + recordHeaderBytes + n;
        return true;
    }

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
