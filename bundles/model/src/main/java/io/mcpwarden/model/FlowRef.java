package io.mcpwarden.model;

/**
 * The flow an event belongs to, oriented from the side that opened it ({@code src}) to the side that
 * answered ({@code dest}).
 *
 * @param flowId      this appliance's flow number (stable for the life of the flow)
 * @param communityId Community ID v1 of the 5-tuple ({@code 1:base64})
 * @param srcIp       textual address of the initiator
 * @param srcPort     port of the initiator (0 when the protocol has none)
 * @param destIp      textual address of the responder
 * @param destPort    port of the responder
 * @param proto       {@code TCP} or {@code UDP}
 */
public record FlowRef(long flowId, String communityId, String srcIp, int srcPort, String destIp, int destPort,
                      String proto) {

    /** The same flow seen from the other side (for events the responder sent, such as DNS answers). */
    public FlowRef reversed() {
        return new FlowRef(flowId, communityId, destIp, destPort, srcIp, srcPort, proto);
    }
}
