package io.mcpwarden.tls.decrypt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads NSS key log text ({@code LABEL <client_random hex> <secret hex>} per line, {@code #} comments).
 * Malformed lines are counted with their line numbers and skipped; nothing here throws on bad content.
 */
public final class KeyLogParser {
    /** Longest line read; longer lines are malformed. */
    static final int MAX_LINE = 1024;
    /** Line numbers of malformed lines kept for the report. */
    static final int MAX_REPORTED_LINES = 10;
    /** Lines read from one source at most. */
    static final int MAX_LINES = 4_000_000;

    private KeyLogParser() {
    }

    /** Reads a key log file into {@code into}. */
    public static KeyLogReport read(Path file, KeyLog into) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, into);
        }
    }

    /** Reads key log text from {@code in} (not closed) into {@code into}. */
    public static KeyLogReport read(InputStream in, KeyLog into) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        Counter c = new Counter();
        String line;
        while ((line = r.readLine()) != null && c.lineNo < MAX_LINES) {
            c.lineNo++;
            parseLine(line, into, c);
        }
        return c.report();
    }

    /** Parses key log text held in memory (e.g. a pcapng Decryption Secrets Block). */
    public static KeyLogReport parse(String text, KeyLog into) {
        Counter c = new Counter();
        int start = 0;
        int n = text.length();
        while (start < n && c.lineNo < MAX_LINES) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            c.lineNo++;
            parseLine(text.substring(start, end), into, c);
            start = end + 1;
        }
        return c.report();
    }

    private static void parseLine(String raw, KeyLog into, Counter c) {
        String line = raw.length() > MAX_LINE ? null : raw.strip();
        if (line == null) {
            c.malformed();
            return;
        }
        if (line.isEmpty() || line.charAt(0) == '#') {
            return;
        }
        String[] f = line.split("[ \t]+");
        if (f.length != 3) {
            c.malformed();
            return;
        }
        byte[] random = hex(f[1]);
        byte[] secret = hex(f[2]);
        if (random == null || random.length != 32 || secret == null || secret.length == 0
                || secret.length > KeyLog.MAX_SECRET) {
            c.malformed();
            return;
        }
        if (SecretLabel.of(f[0]) == null) {
            if (SecretLabel.ignored(f[0])) {
                c.ignored++;
            } else {
                c.malformed();
            }
            return;
        }
        if (into.add(f[0], random, secret)) {
            c.secrets++;
        } else {
            c.ignored++;
        }
    }

    /** Decodes even-length hex, or null. */
    static byte[] hex(String s) {
        if (s.length() % 2 != 0 || s.length() > 2 * KeyLog.MAX_SECRET + 2 * 32) {
            return null;
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    private static final class Counter {
        int lineNo;
        int secrets;
        int ignored;
        int malformed;
        final List<Integer> lines = new ArrayList<>();

        void malformed() {
            malformed++;
            if (lines.size() < MAX_REPORTED_LINES) {
                lines.add(lineNo);
            }
        }

        KeyLogReport report() {
            return new KeyLogReport(secrets, ignored, malformed, lines);
        }
    }
}
