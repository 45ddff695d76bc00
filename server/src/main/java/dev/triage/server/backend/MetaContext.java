package dev.triage.server.backend;

/**
 * The metadata contexts an export can report in {@code NBD_CMD_BLOCK_STATUS}. The id is the
 * one the server gives the context in {@code NBD_REP_META_CONTEXT}.
 */
public enum MetaContext {
    /** {@code base:allocation}: bit 0 {@code NBD_STATE_HOLE}, bit 1 {@code NBD_STATE_ZERO}. */
    BASE_ALLOCATION("base:allocation", 1),
    /** {@code x-triage:class}: flags as encoded by {@link ClassStatus}. */
    TRIAGE_CLASS("x-triage:class", 2);

    private final String wireName;
    private final int id;

    MetaContext(String wireName, int id) {
        this.wireName = wireName;
        this.id = id;
    }

    /** The context name as sent on the wire ({@code namespace:leaf}). */
    public String wireName() {
        return wireName;
    }

    /** The context id used in replies. */
    public int id() {
        return id;
    }

    /** The context of an id, or null. */
    public static MetaContext ofId(int id) {
        for (MetaContext c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }
}
