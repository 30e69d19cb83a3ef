package io.megrad.runtime;

/**
 * A place in a user's input: a file and a 1-based line (0 when the line is not known).
 * Rendered as {@code file:line} so terminals and editors can jump to it.
 */
public record SourcePosition(String file, int line) {
    public static SourcePosition of(String file, int line) {
        return new SourcePosition(file, line);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
