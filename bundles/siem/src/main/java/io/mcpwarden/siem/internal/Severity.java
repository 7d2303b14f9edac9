package io.mcpwarden.siem.internal;

import io.mcpwarden.model.RulesEvent;
import io.mcpwarden.model.VerdictEvent;
import io.mcpwarden.model.WardenEvent;

/** Syslog severity (RFC 5424 §6.2.1) and CEF severity of an event. */
public final class Severity {
    public static final int CRITICAL = 2;
    public static final int ERROR = 3;
    public static final int WARNING = 4;
    public static final int NOTICE = 5;
    public static final int INFO = 6;

    private Severity() {
    }

    /**
     * verdict block → warning (4), or error (3) for a high and critical (2) for a critical rule; verdict alert →
     * notice (5); rules rejected → error (3); everything else → informational (6).
     */
    public static int of(WardenEvent e) {
        if (e instanceof VerdictEvent v) {
            if ("block".equals(v.action())) {
                if ("critical".equals(v.severity())) {
                    return CRITICAL;
                }
                return "high".equals(v.severity()) ? ERROR : WARNING;
            }
            return "alert".equals(v.action()) ? NOTICE : INFO;
        }
        if (e instanceof RulesEvent r && "rejected".equals(r.action())) {
            return ERROR;
        }
        return INFO;
    }

    /** CEF 0–10 from the syslog severity: 2→10, 3→8, 4→7, 5→5, 6→3, 7→1 (0 and 1 → 10). */
    public static int cef(int syslogSeverity) {
        return switch (syslogSeverity) {
            case 0, 1, 2 -> 10;
            case 3 -> 8;
            case 4 -> 7;
            case 5 -> 5;
            case 6 -> 3;
            default -> 1;
        };
    }
}
