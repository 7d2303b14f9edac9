package io.mcpwarden.runtime;

import io.mcpwarden.pipeline.InspectionSummary;
import io.mcpwarden.pipeline.RunControl;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The run control handed to the pipeline: answers the stop flag, and when a person watches a terminal
 * keeps one progress line on stderr, rewritten in place, once the run has lasted {@link #DELAY_NANOS}.
 */
final class Progress implements RunControl {
    static final long DELAY_NANOS = 2_000_000_000L;

    private final CliEnv env;
    private final String label;
    private final boolean show;
    private final long start = System.nanoTime();
    private int shownWidth;

    Progress(CliEnv env, String label, boolean show) {
        this.env = env;
        this.label = label;
        this.show = show;
    }

    @Override
    public boolean stopRequested() {
        return env.stopRequested();
    }

    @Override
    public synchronized void progress(InspectionSummary s) {
        if (!show || System.nanoTime() - start < DELAY_NANOS) {
            return;
        }
        String line = format(label, s);
        PrintStream err = env.err();
        err.print("\r" + line + " ".repeat(Math.max(0, shownWidth - line.length())));
        err.flush();
        shownWidth = Math.max(shownWidth, line.length());
    }

    /** Erases the progress line, if one was shown, so that the summary starts on a clean line. */
    synchronized void clear() {
        if (shownWidth > 0) {
            env.err().print("\r" + " ".repeat(shownWidth) + "\r");
            env.err().flush();
            shownWidth = 0;
        }
    }

    static String format(String label, InspectionSummary s) {
        double seconds = s.seconds();
        String pct = s.sourceSize() > 0 && s.sourcePosition() >= 0
                ? String.format(Locale.ROOT, "%3.0f%%, ", 100.0 * s.sourcePosition() / s.sourceSize()) : "";
        return String.format(Locale.ROOT, "%s: %s%,d packets, %.2f Gbit/s, %.0f s", label, pct, s.packets(), s.gbps(),
                seconds);
    }
}
