package io.mcpwarden.dissect.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One DNS packet as decoded by tshark: its payload and tshark's own field values (see make-fixtures.sh). */
record CorpusRow(String file, String frame, byte[] udp, byte[] tcp, String[] f) {
    /** tshark field order after file, frame, udp.payload, tcp.payload. */
    static final String[] FIELDS = {"dns.id", "dns.flags.response", "dns.flags.opcode", "dns.flags.rcode",
        "dns.flags.truncated", "dns.qry.name", "dns.qry.type", "dns.count.answers", "dns.resp.name",
        "dns.resp.type", "dns.resp.ttl", "dns.a", "dns.aaaa", "dns.cname", "dns.ns"};
    static final Path TSHARK = Path.of("/usr/bin/tshark");

    String field(String name) {
        int i = Arrays.asList(FIELDS).indexOf(name);
        return i < f.length ? f[i] : "";
    }

    static List<String> list(String aggregated) {
        return aggregated.isEmpty() ? List.of() : List.of(aggregated.split(",", -1));
    }

    static CorpusRow parse(String line) {
        String[] c = line.split("\t", -1);
        String[] f = Arrays.copyOfRange(c, 4, Math.max(4, c.length));
        return new CorpusRow(c[0], c[1], c[2].isEmpty() ? null : Wire.hex(c[2]),
                c[3].isEmpty() ? null : Wire.hex(c[3]), f);
    }

    static List<CorpusRow> fixture() throws IOException {
        try (InputStream in = CorpusRow.class.getResourceAsStream("dns-corpus.tsv")) {
            return read(in, "fixture");
        }
    }

    private static List<CorpusRow> read(InputStream in, String label) throws IOException {
        List<CorpusRow> rows = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (!line.isBlank()) {
                rows.add(parse(label + "\t" + line.substring(line.indexOf('\t') + 1)));
            }
        }
        return rows;
    }

    /** Runs tshark on {@code pcap} with the fixture's field list; rows use the pcap name as file. */
    static List<CorpusRow> tshark(Path pcap, String filter) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TSHARK.toString(), "-r", pcap.toString(), "-Y", filter,
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "frame.number", "-e", "udp.payload", "-e", "tcp.payload"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<CorpusRow> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.add(parse(pcap.getFileName() + "\t" + line));
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return rows;
    }

    static Path corpus() {
        return Path.of(System.getProperty("warden.shared", "/work/shared"), "corpus");
    }

    static boolean tsharkUsable() {
        return Files.isExecutable(TSHARK) && Files.isDirectory(corpus());
    }
}
