package io.mcpwarden.flow;

/** Direction of data within a flow, relative to the side that opened it. */
public enum Direction {
    /** From the initiator (client) to the responder (server). */
    TO_SERVER,
    /** From the responder (server) to the initiator (client). */
    TO_CLIENT;

    public Direction opposite() {
        return this == TO_SERVER ? TO_CLIENT : TO_SERVER;
    }
}
