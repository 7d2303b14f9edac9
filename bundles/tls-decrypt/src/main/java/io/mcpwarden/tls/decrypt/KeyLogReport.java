package io.mcpwarden.tls.decrypt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What reading one key log source found.
 *
 * @param secrets        secrets taken
 * @param ignored        well-formed lines not used (EXPORTER_SECRET, early secrets, a full log)
 * @param malformed      lines that could not be read
 * @param malformedLines line numbers (1-based) of the first malformed lines
 */
public record KeyLogReport(int secrets, int ignored, int malformed, List<Integer> malformedLines) {
    public KeyLogReport {
        malformedLines = List.copyOf(malformedLines);
    }

    /** One line for the operator, e.g. "12 secrets, 2 malformed lines (3, 9)". */
    public String describe() {
        StringBuilder b = new StringBuilder().append(secrets).append(secrets == 1 ? " secret" : " secrets");
        if (malformed > 0) {
            b.append(", ").append(malformed).append(malformed == 1 ? " malformed line (" : " malformed lines (")
                    .append(malformedLines.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append(malformed > malformedLines.size() ? ", ...)" : ")");
        }
        return b.toString();
    }
}
