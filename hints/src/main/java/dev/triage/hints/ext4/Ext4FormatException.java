package dev.triage.hints.ext4;

import java.io.IOException;

/** The source holds no ext4 file system the reader can use: the message says which field is bad. */
public final class Ext4FormatException extends IOException {
    public Ext4FormatException(String message) {
        super(message);
    }

    public Ext4FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
