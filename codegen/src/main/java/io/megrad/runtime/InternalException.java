package io.megrad.runtime;

/** A megrad bug (e.g. generated code that does not compile): exit code 5, with a request to report it. */
public class InternalException extends MegradException {
    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }

    public InternalException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 5;
    }
}
