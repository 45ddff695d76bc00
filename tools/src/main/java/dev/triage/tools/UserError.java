package dev.triage.tools;

/** A mistake of the user's (bad option, missing file): printed as one line, exit status 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
