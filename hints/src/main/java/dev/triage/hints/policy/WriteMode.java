package dev.triage.hints.policy;

/** How the live cache treats a class's writes. */
public enum WriteMode {
    /** Use the cache's own mode. */
    INHERIT("inherit"),
    /** Write to the cache and the backing device before acknowledging. */
    WRITE_THROUGH("write-through"),
    /** Acknowledge once in the cache; destage later. */
    WRITE_BACK("write-back"),
    /** Writes go to the backing device only (and invalidate the cache). */
    WRITE_AROUND("write-around");

    private final String fileName;

    WriteMode(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    public static WriteMode ofFileName(String s) {
        for (WriteMode m : values()) {
            if (m.fileName.equals(s)) {
                return m;
            }
        }
        return null;
    }
}
