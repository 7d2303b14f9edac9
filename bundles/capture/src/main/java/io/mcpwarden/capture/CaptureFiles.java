package io.mcpwarden.capture;

import java.io.IOException;
import java.nio.file.Path;

/** Opens capture files (pcap and pcapng) with a fast pure-Java reader. */
public final class CaptureFiles {
    /** Largest captured length accepted for one frame; larger values are treated as damage. */
    public static final int MAX_CAPLEN = 262_144;

    static final int PCAP_MAGIC_US = 0xa1b2c3d4;
    static final int PCAP_MAGIC_NS = 0xa1b23c4d;
    static final int PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
    static final int PCAPNG_SHB = 0x0A0D0D0A;

    private CaptureFiles() {
    }

    /**
     * Opens a capture file. The format is recognised by its magic number: classic pcap (either byte order,
     * microsecond or nanosecond timestamps, and the "modified" variant) or pcapng.
     *
     * @throws CaptureFormatException when the file is not a capture (empty, unknown magic, header too short)
     * @throws IOException            when the file cannot be read
     */
    public static PacketSource open(Path file) throws IOException {
        FileWindow w = new FileWindow(file);
        try {
            if (w.size() == 0) {
                throw new CaptureFormatException("empty file, not a capture", 0);
            }
            int idx = w.require(0, 4);
            if (idx < 0) {
                throw new CaptureFormatException("file too short for a capture header (" + w.size() + " bytes)", 0);
            }
            int magic = w.getIntBE(idx);
            PacketSource src;
            if (magic == PCAPNG_SHB) {
                src = new PcapngReader(w);
            } else if (magic == PCAP_MAGIC_US || Integer.reverseBytes(magic) == PCAP_MAGIC_US
                    || magic == PCAP_MAGIC_NS || Integer.reverseBytes(magic) == PCAP_MAGIC_NS
                    || magic == PCAP_MAGIC_MODIFIED || Integer.reverseBytes(magic) == PCAP_MAGIC_MODIFIED) {
                src = new PcapReader(w, magic);
            } else {
                throw new CaptureFormatException(String.format("unknown capture magic 0x%08x", magic), 0);
            }
            return src;
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }
}
