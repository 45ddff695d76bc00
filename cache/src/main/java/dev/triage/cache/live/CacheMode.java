package dev.triage.cache.live;

/** How the live cache handles writes (a class's {@code write_mode} may override it). */
public enum CacheMode {
    /** Writes reach the slow device before they are acknowledged; the cache holds clean copies. */
    WRITE_THROUGH,
    /** Writes are acknowledged once in the cache; a destager copies them to the slow device later. */
    WRITE_BACK;

    public static CacheMode parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "wt", "write-through", "writethrough" -> WRITE_THROUGH;
            case "wb", "write-back", "writeback" -> WRITE_BACK;
            default -> throw new IllegalArgumentException("unknown cache mode '" + s + "' (write-through, write-back)");
        };
    }
}
