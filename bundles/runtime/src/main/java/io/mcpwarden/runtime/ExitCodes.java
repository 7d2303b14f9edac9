package io.mcpwarden.runtime;

/** Process exit codes of the warden command line (documented in every command's --help). */
final class ExitCodes {
    /** Success; a truncated capture also counts (processed up to the damage). */
    static final int OK = 0;
    /** A file could not be read, or events could not be written. */
    static final int IO_ERROR = 1;
    /** The input file is not a capture. */
    static final int NOT_A_CAPTURE = 2;
    /** An unexpected internal error (a bug); in batch mode, at least one file failed. */
    static final int INTERNAL = 3;
    /** Wrong command-line usage (sysexits EX_USAGE). */
    static final int USAGE = 64;
    /** The run was interrupted by SIGINT/SIGTERM before the input ended (128 + SIGINT). */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
