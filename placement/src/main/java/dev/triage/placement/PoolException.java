package dev.triage.placement;

import java.io.IOException;

/**
 * An error of the pool itself (not of the device): a request out of its volume's range, no
 * space, corrupt metadata, a closed pool or a deleted volume. Device errors reach the caller
 * as the device's own {@link IOException}.
 */
public final class PoolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What kind of error, for mapping to an errno (EINVAL, ENOSPC, EIO, ...). */
    public enum Kind {
        /** A request outside its volume, or bad arguments (EINVAL). */
        INVALID,
        /** No free data block in any zone, or the metadata area is full (ENOSPC). */
        NO_SPACE,
        /** The metadata on the device is corrupt (EIO); {@code triage check} says what. */
        CORRUPT,
        /** The pool was closed, or the volume deleted (ESHUTDOWN). */
        GONE,
        /** A volume name exists already, or does not exist. */
        NAME
    }

    private final Kind kind;

    public PoolException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
