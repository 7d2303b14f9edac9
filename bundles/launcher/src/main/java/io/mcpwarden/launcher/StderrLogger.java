package io.mcpwarden.launcher;

/** The framework's own messages go to standard error: standard output may carry events. */
final class StderrLogger extends org.apache.felix.framework.Logger {
    @Override
    protected void doLogOut(int level, String msg, Throwable throwable) {
        String prefix = switch (level) {
            case LOG_ERROR -> "ERROR: ";
            case LOG_WARNING -> "WARNING: ";
            case LOG_INFO -> "INFO: ";
            default -> "DEBUG: ";
        };
        System.err.println("framework: " + prefix + msg + (throwable == null ? "" : " (" + throwable + ")"));
    }
}
