package io.megrad.runtime;

/**
 * Base of every error megrad reports to a user. Each subclass maps to one documented process exit
 * code, so the CLI can turn any of them into one clear line without a stack trace.
 */
public abstract class MegradException extends RuntimeException {
    protected MegradException(String message) {
        super(message);
    }

    protected MegradException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code the CLI uses for this kind of error. */
    public abstract int exitCode();
}
