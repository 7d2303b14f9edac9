package io.mcpwarden.dissect.dns;

import java.util.List;

/**
 * A decoded DNS message (RFC 1035 §4.1). Authority and additional sections are walked for bounds but not kept.
 *
 * @param id        transaction id (0..65535)
 * @param response  QR bit
 * @param opcode    OPCODE (0 QUERY, 1 IQUERY, 2 STATUS, 4 NOTIFY, 5 UPDATE)
 * @param rcode     RCODE from the header (4 bits; the EDNS extended bits are not merged)
 * @param rcodeName NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, else {@code RCODEn}
 * @param truncated TC bit
 * @param questions question section, as far as it could be read
 * @param answers   answer section, as far as it could be read
 */
public record DnsMessage(int id, boolean response, int opcode, int rcode, String rcodeName, boolean truncated,
                         List<DnsQuestion> questions, List<DnsRecord> answers) {
    public DnsMessage {
        questions = questions == null ? List.of() : List.copyOf(questions);
        answers = answers == null ? List.of() : List.copyOf(answers);
    }
}
