package io.megrad.runtime;

/**
 * A source construct megrad does not translate (yet): exit code 4. The message always reads
 * {@code file:line: unsupported …} so the user knows exactly which line of their output stopped it.
 */
public class UnsupportedConstructException extends MegradException {
    private final SourcePosition position;

    public UnsupportedConstructException(SourcePosition position, String what) {
        super(position + ": unsupported " + what);
        this.position = position;
    }

    public SourcePosition position() {
        return position;
    }

    @Override
    public int exitCode() {
        return 4;
    }
}
