package io.mcpwarden.siem;

/**
 * A configuration file that cannot be used, with the place of the problem.
 * {@link #getMessage()} is {@code FILE:LINE:COLUMN: reason} (line and column 1-based; both 0 when the problem
 * has no place, e.g. the file cannot be read).
 */
public final class SiemConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    public SiemConfigException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** The file as named by the caller. */
    public String file() {
        return file;
    }

    /** 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }

    /** The problem in words, without the place. */
    public String reason() {
        return reason;
    }
}
