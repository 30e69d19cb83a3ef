package io.megrad.runtime;

/** A command line that cannot be carried out as written (bad option value, missing option): exit code 2. */
public class UsageException extends MegradException {
    public UsageException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
