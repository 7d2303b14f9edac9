package io.mcpwarden.dissect.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Loads the tshark-made fixtures (see src/test/resources/.../make-fixtures.sh). */
final class TlsCorpus {
    /** Field order after pcap, frame, tcp.stream, handshake type, tcp.payload. */
    static final String[] FIELDS = {"tls.handshake.version", "tls.handshake.ciphersuite", "tls.handshake.extension.type",
        "tls.handshake.sig_hash_alg", "tls.handshake.extensions_alpn_str", "tls.handshake.extensions_server_name",
        "tls.handshake.extensions.supported_version", "tls.handshake.extensions_supported_group"};
    static final String[] STREAMS = {"N5-stream0.txt", "N5-stream1.txt", "N5-stream2.txt",
        "P3-stream0.txt", "P3-stream1.txt", "P3-stream2.txt"};

    private TlsCorpus() {
    }

    /** One hello frame with tshark's decoded fields. */
    record Hello(String pcap, int frame, int stream, int type, byte[] payload, String[] f) {
        String field(String name) {
            int i = Arrays.asList(FIELDS).indexOf(name);
            return i < f.length ? f[i] : "";
        }

        /** A tshark aggregated field as numbers (hex "0x..." or decimal). */
        List<Integer> ints(String name) {
            List<Integer> out = new ArrayList<>();
            for (String s : strings(name)) {
                out.add(Integer.decode(s));
            }
            return out;
        }

        List<String> strings(String name) {
            String v = field(name);
            return v.isEmpty() ? List.of() : List.of(v.split(",", -1));
        }
    }

    /** Client and server byte chunks of one TCP stream, in capture order. */
    record Stream(String name, List<byte[]> client, List<byte[]> server) {
    }

    static List<Hello> hellos() throws IOException {
        List<Hello> out = new ArrayList<>();
        for (String line : lines("tls-hellos.tsv")) {
            String[] c = line.split("\t", -1);
            out.add(new Hello(c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), Integer.parseInt(c[3]),
                    Hs.hex(c[4]), Arrays.copyOfRange(c, 5, c.length)));
        }
        return out;
    }

    static Stream stream(String name) throws IOException {
        List<byte[]> client = new ArrayList<>();
        List<byte[]> server = new ArrayList<>();
        for (String line : lines(name)) {
            if (line.startsWith("\t") && line.trim().matches("[0-9a-f]+")) {
                server.add(Hs.hex(line.trim()));
            } else if (line.matches("[0-9a-f]+")) {
                client.add(Hs.hex(line));
            }
        }
        return new Stream(name, client, server);
    }

    private static List<String> lines(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = TlsCorpus.class.getResourceAsStream(resource)) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String l; (l = r.readLine()) != null; ) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
        }
        return out;
    }
}
