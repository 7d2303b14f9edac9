package io.mcpwarden.model;

import java.util.List;

/**
 * A DNS query or answer.
 *
 * @param type    {@code query} or {@code answer}
 * @param id      the DNS transaction id
 * @param rrname  the first question's name, without trailing dot
 * @param rrtype  the first question's type (A, AAAA, HTTPS, ... or TYPEnnn)
 * @param rcode   the response code name for answers (NOERROR, NXDOMAIN, ...), null for queries
 * @param answers the answer section (empty for queries)
 */
public record DnsEvent(long tsMicros, FlowRef flow, String type, int id, String rrname, String rrtype,
                       String rcode, List<DnsAnswer> answers) implements WardenEvent {
    public DnsEvent {
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    @Override
    public String eventType() {
        return "dns";
    }
}
