package io.mcpwarden.policy;

/**
 * One error in a rule file or a registry file.
 *
 * @param file    the file, relative to the rules directory (for a registry: its file name)
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param message the compiler's or parser's message
 */
public record RuleError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
