package io.mcpwarden.capture;

/**
 * One captured frame as read from a source. Mutable and reused by the source between calls to
 * {@link PacketSource#next(PacketRecord)}: copy what must outlive the call.
 */
public final class PacketRecord {
    /** Capture time, nanoseconds since the epoch (UTC). */
    public long tsNanos;
    /** Link type of the frame (pcap LINKTYPE_* value). */
    public int linkType;
    /** Buffer holding the frame; valid from {@link #offset} for {@link #caplen} bytes. */
    public byte[] data;
    /** Offset of the frame in {@link #data}. */
    public int offset;
    /** Captured length. */
    public int caplen;
    /** Original length on the wire. */
    public int origLen;
    /** Offset in the capture file of this record's header (-1 for live capture). */
    public long fileOffset;
}
