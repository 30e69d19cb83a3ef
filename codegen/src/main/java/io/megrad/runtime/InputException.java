package io.megrad.runtime;

/** Bad user input (malformed file, missing file, NaN momentum, unknown name): exit code 3. */
public class InputException extends MegradException {
    private final SourcePosition position;

    public InputException(SourcePosition position, String message) {
        super(position == null ? message : position + ": " + message);
        this.position = position;
    }

    public InputException(String message) {
        this(null, message);
    }

    /** Where the problem is, or null when it is not tied to a file. */
    public SourcePosition position() {
        return position;
    }

    @Override
    public int exitCode() {
        return 3;
    }
}
