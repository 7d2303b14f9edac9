package io.mcpwarden.flow;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Test listener: keeps every callback and the delivered bytes per flow and direction. */
final class Recorder implements FlowListener {
    final List<Flow> started = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final Map<Flow, ByteArrayOutputStream[]> data = new IdentityHashMap<>();
    final Map<Flow, long[]> gapBytes = new IdentityHashMap<>();
    final Map<Flow, String> endReason = new IdentityHashMap<>();
    final Map<Flow, Long> endTs = new IdentityHashMap<>();
    final List<Long> gapEvents = new ArrayList<>();

    @Override
    public void onFlowStart(Flow flow) {
        if (data.containsKey(flow)) {
            throw new AssertionError("flow started twice");
        }
        started.add(flow);
        data.put(flow, new ByteArrayOutputStream[] {new ByteArrayOutputStream(), new ByteArrayOutputStream()});
        gapBytes.put(flow, new long[2]);
        events.add("start " + flow.ref().srcPort() + ">" + flow.ref().destPort());
    }

    @Override
    public void onData(Flow flow, Direction dir, byte[] buf, int off, int len, long tsNanos) {
        if (endReason.containsKey(flow)) {
            throw new AssertionError("data after end");
        }
        data.get(flow)[dir.ordinal()].write(buf, off, len);
        events.add("data " + dir + " " + len);
    }

    @Override
    public void onGap(Flow flow, Direction dir, long bytesMissing, long tsNanos) {
        if (endReason.containsKey(flow)) {
            throw new AssertionError("gap after end");
        }
        gapBytes.get(flow)[dir.ordinal()] += bytesMissing;
        gapEvents.add(bytesMissing);
        // marks the gap in the byte stream so tests can see where delivery resumed
        events.add("gap " + dir + " " + bytesMissing);
    }

    @Override
    public void onFlowEnd(Flow flow, String reason, long tsNanos) {
        if (endReason.put(flow, reason) != null) {
            throw new AssertionError("ended twice");
        }
        endTs.put(flow, tsNanos);
        events.add("end " + reason);
    }

    String text(Flow f, Direction d) {
        return data.get(f)[d.ordinal()].toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    byte[] bytes(Flow f, Direction d) {
        return data.get(f)[d.ordinal()].toByteArray();
    }

    Flow only() {
        if (started.size() != 1) {
            throw new AssertionError("expected one flow, got " + started.size());
        }
        return started.get(0);
    }
}
