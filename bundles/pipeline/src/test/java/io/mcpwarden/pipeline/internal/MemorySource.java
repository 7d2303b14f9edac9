package io.mcpwarden.pipeline.internal;

import io.mcpwarden.capture.CaptureStatus;
import io.mcpwarden.capture.PacketRecord;
import io.mcpwarden.capture.PacketSource;

import java.util.List;

/** Frames held in memory, handed out in order, as a capture file would (tests). */
class MemorySource implements PacketSource {
    private final List<PacketRecord> packets;
    private int i;

    MemorySource(List<PacketRecord> packets) {
        this.packets = packets;
    }

    /** The same packets, from the start (for sources that add behaviour). */
    MemorySource(MemorySource other) {
        this(other.packets);
    }

    /** Ethernet frames with their capture times (ns). */
    static MemorySource ofFrames(List<byte[]> frames, List<Long> times) {
        List<PacketRecord> l = new java.util.ArrayList<>(frames.size());
        for (int k = 0; k < frames.size(); k++) {
            PacketRecord r = new PacketRecord();
            r.data = frames.get(k);
            r.offset = 0;
            r.caplen = r.data.length;
            r.origLen = r.data.length;
            r.linkType = 1;
            r.tsNanos = times.get(k);
            r.fileOffset = -1;
            l.add(r);
        }
        return new MemorySource(l);
    }

    @Override
    public boolean next(PacketRecord into) {
        if (i >= packets.size()) {
            return false;
        }
        copy(packets.get(i++), into);
        return true;
    }

    /** Every field of {@code from} into {@code into} (the frame buffer is shared, not copied). */
    static void copy(PacketRecord from, PacketRecord into) {
        into.data = from.data;
        into.offset = from.offset;
        into.caplen = from.caplen;
        into.origLen = from.origLen;
        into.linkType = from.linkType;
        into.tsNanos = from.tsNanos;
        into.fileOffset = from.fileOffset;
    }

    @Override
    public CaptureStatus status() {
        return CaptureStatus.OK;
    }

    @Override
    public void close() {
    }
}
