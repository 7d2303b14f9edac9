package io.mcpwarden.siem;

/**
 * Delivery state of one destination.
 *
 * @param name       the destination's name ({@link SyslogDestination#name()})
 * @param uri        the destination URI
 * @param sent       messages written to the transport (re-sends after a lost connection included)
 * @param resent     of {@code sent}, messages written again after a lost connection (at-least-once)
 * @param spooled    messages still on disk, to be sent when the destination returns (also after a restart)
 * @param dropped    messages lost: spool cap reached, memory queue full, spool unwritable, or unsent at close
 *                   without a spool
 * @param reconnects successful connections after the first
 * @param errors     failures seen (connect, TLS, write, spool)
 * @param lastError  the last failure in words, null if none
 */
public record DestinationReport(String name, String uri, long sent, long resent, long spooled, long dropped,
                                long reconnects, long errors, String lastError) {

    /** True when nothing is waiting and nothing was lost. */
    public boolean complete() {
        return spooled == 0 && dropped == 0;
    }
}
