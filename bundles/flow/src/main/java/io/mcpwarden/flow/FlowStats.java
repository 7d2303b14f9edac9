package io.mcpwarden.flow;

/**
 * Snapshot of a {@link FlowTable}'s counters (see {@link FlowTable#counters()} for the stable names).
 *
 * @param packets              TCP and UDP packets processed
 * @param packetsIgnored       packets of other protocols
 * @param flowsCreated         flows created
 * @param flowsEnded           flows ended, for any reason
 * @param flowsTimedOut        flows ended by an idle timeout
 * @param flowsEvicted         open flows evicted to make room at {@code maxFlows}
 * @param activeFlows          flows in the table now (lingering closed ones included)
 * @param tcpGaps              gaps declared in TCP streams
 * @param gapBytes             bytes missing in those gaps
 * @param retransmittedBytes   bytes of segments that carried only data already seen
 * @param overlapBytes         already-seen bytes trimmed from segments that also carried new data
 * @param overlapConflictBytes overlapping bytes that differed from the buffered ones (first seen kept)
 * @param oooSegments          segments that arrived ahead of a hole
 * @param bufferedBytes        out-of-order bytes buffered now
 * @param bufferDrops          times a buffer limit forced the stream past a hole
 * @param deliveredBytes       bytes handed to the listener (TCP streams and UDP payloads)
 * @param listenerErrors       exceptions thrown by the listener (caught)
 */
public record FlowStats(long packets, long packetsIgnored, long flowsCreated, long flowsEnded, long flowsTimedOut,
                        long flowsEvicted, long activeFlows, long tcpGaps, long gapBytes, long retransmittedBytes,
                        long overlapBytes, long overlapConflictBytes, long oooSegments, long bufferedBytes,
                        long bufferDrops, long deliveredBytes, long listenerErrors) {
}
