package io.mcpwarden.runtime;

import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.tls.decrypt.DecryptAnomaly;
import io.mcpwarden.tls.decrypt.KeyLog;
import io.mcpwarden.tls.decrypt.KeyLogFollower;
import io.mcpwarden.tls.decrypt.KeyLogParser;
import io.mcpwarden.tls.decrypt.KeyLogReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The options that give TLS secrets for decryption, shared by inspect and run. */
final class KeyLogOptions {
    @Option(names = "--keylog", paramLabel = "FILE",
            description = "TLS key log (NSS SSLKEYLOGFILE format, as written by browsers, curl, Node.js "
                    + "--tls-keylog, OpenSSL -keylogfile) used to decrypt TLS 1.3 and TLS 1.2 (AEAD suites): "
                    + "HTTP, SSE, JSON-RPC and MCP inside TLS are then dissected like plaintext, and their "
                    + "events carry \"decrypted\": true. Malformed lines are reported with their numbers and "
                    + "skipped. Without this option a key log beside the capture is used: <name>.keylog "
                    + "(P3.pcap -> P3.keylog) or <capture file>.keylog.")
    Path file;

    @Option(names = "--no-keylog",
            description = "Do not look for a key log beside the capture (secrets inside a pcapng capture, "
                    + "Decryption Secrets Blocks, are still used).")
    boolean off;

    /**
     * The key log for one capture (or for live capture when {@code capture} is null).
     *
     * @param keys  the secrets, or null for none
     * @param note  what was used, for the summary line ({@code key log P3.keylog (20 secrets)}), or null
     * @param error why the key log given with --keylog could not be read, or null
     * @param follower for live capture: the --keylog file followed while clients append to it, or null
     */
    record Choice(KeyLog keys, String note, String warning, String error, KeyLogFollower follower) {
        static final Choice NONE = new Choice(null, null, null, null);

        Choice(KeyLog keys, String note, String warning, String error) {
            this(keys, note, warning, error, null);
        }
    }

    private Choice explicit;
    private boolean explicitWarned;

    /** Resolves the key log for {@code capture}: --keylog, else (unless --no-keylog) a file beside it. */
    synchronized Choice forCapture(Path capture) {
        if (file != null) {
            if (explicit == null) {
                explicit = read(file, false);
            }
            return explicit;
        }
        if (off || capture == null) {
            return Choice.NONE;
        }
        for (Path p : besides(capture)) {
            if (Files.isRegularFile(p)) {
                return read(p, true);
            }
        }
        return Choice.NONE;
    }

    /**
     * The key log for live capture: the --keylog file, read now and then followed while clients append to it
     * (close {@link Choice#follower()} at the end). Without --keylog, none.
     */
    Choice forLive() {
        if (file == null) {
            return Choice.NONE;
        }
        KeyLog keys = new KeyLog();
        KeyLogFollower f = new KeyLogFollower(file, keys);
        f.catchUp();
        if (f.lastFailure() != null) {
            f.close();
            return new Choice(null, null, null, "key log " + file + ": cannot read: "
                    + InspectCommand.describe(f.lastFailure()));
        }
        keys.follow(f);
        String warning = f.malformed() == 0 ? null
                : "warning: key log " + file + ": " + f.malformed() + " malformed line(s) skipped";
        return new Choice(keys, null, warning, null, f);
    }

    /**
     * The warning to print for {@code c} (malformed lines, an unreadable key log found beside a capture), or
     * null: the key log given with --keylog is reported once per run, even when it serves many captures.
     */
    synchronized String warning(Choice c) {
        if (c.warning() == null) {
            return null;
        }
        if (c == explicit) {
            if (explicitWarned) {
                return null;
            }
            explicitWarned = true;
        }
        return c.warning();
    }

    /** {@code <dir>/<name without extension>.keylog}, then {@code <capture>.keylog}. */
    static List<Path> besides(Path capture) {
        String name = String.valueOf(capture.getFileName());
        List<Path> l = new ArrayList<>(2);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            l.add(capture.resolveSibling(name.substring(0, dot) + ".keylog"));
        }
        l.add(capture.resolveSibling(name + ".keylog"));
        return l;
    }

    static Choice read(Path p, boolean auto) {
        KeyLog keys = new KeyLog();
        KeyLogReport r;
        try {
            r = KeyLogParser.read(p, keys);
        } catch (IOException e) {
            String msg = "key log " + p + ": cannot read: " + InspectCommand.describe(e);
            return auto ? new Choice(null, null, "warning: " + msg, null) : new Choice(null, null, null, msg);
        }
        String note = "key log " + p.getFileName() + (auto ? " (found beside the capture, " : " (")
                + r.secrets() + (r.secrets() == 1 ? " secret)" : " secrets)");
        String warning = r.malformed() == 0 ? null
                : "warning: key log " + p + ": " + r.describe() + "; those lines were skipped";
        return new Choice(keys, note, warning, null);
    }

    /** {@code , key log P3.keylog (20 secrets), TLS decrypted 6 flows} for the summary line, or "". */
    static String summary(Choice c, InspectionSummary s) {
        Map<String, Long> k = s.counters();
        long flows = k.getOrDefault("tls.decrypt.flows", 0L);
        long secretsInCapture = k.getOrDefault("tls.decrypt.capture_secrets", 0L);
        String note = c.follower() != null ? c.follower().describe() : c.note();
        if (note == null && flows == 0 && secretsInCapture == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (note != null) {
            b.append(", ").append(note);
        }
        if (secretsInCapture > 0) {
            b.append(", ").append(secretsInCapture).append(" secrets in the capture");
        }
        b.append(", TLS decrypted ").append(flows).append(flows == 1 ? " flow" : " flows");
        List<String> failures = new ArrayList<>();
        for (String a : List.of(DecryptAnomaly.NO_KEYS, DecryptAnomaly.AUTH_FAILED,
                DecryptAnomaly.UNSUPPORTED_CIPHER_SUITE, DecryptAnomaly.UNSUPPORTED_VERSION, DecryptAnomaly.GAP,
                DecryptAnomaly.BAD_RECORD, DecryptAnomaly.BAD_INNER_RECORD, DecryptAnomaly.PENDING_OVERFLOW,
                DecryptAnomaly.TRUNCATED_RECORD)) {
            long n = k.getOrDefault(a, 0L);
            if (n > 0) {
                failures.add(a.substring("tls.decrypt.".length()).replace('_', ' ').toLowerCase(Locale.ROOT) + " " + n);
            }
        }
        if (!failures.isEmpty()) {
            b.append(" (not decrypted: ").append(String.join(", ", failures)).append(')');
        }
        return b.toString();
    }
}
