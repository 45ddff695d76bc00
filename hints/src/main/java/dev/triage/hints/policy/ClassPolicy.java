package dev.triage.hints.policy;

/**
 * The cache and placement policy of one I/O class, as written in the policy file.
 *
 * @param className the class
 * @param priority eviction priority 0..255; 0 is kept longest (evicted last), as in Open CAS
 * @param admit false when the class is never admitted to the cache (bypass)
 * @param maxShare the most of the cache the class may hold, as a fraction in (0, 1]; 1 = no cap
 * @param pinned a pinned class is never evicted by other classes (only by its own cap)
 * @param zone the placement zone of the class's blocks, or null for the pool's default
 * @param writeMode how the live cache treats the class's writes
 */
public record ClassPolicy(
        String className, int priority, boolean admit, double maxShare, boolean pinned, String zone,
        WriteMode writeMode) {

    public static final int LOWEST_PRIORITY = 255;
    public static final int DEFAULT_PRIORITY = 100;

    public ClassPolicy {
        if (priority < 0 || priority > LOWEST_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is not in 0..255");
        }
        if (!(maxShare > 0 && maxShare <= 1) && !(maxShare == 0 && !admit)) {
            throw new IllegalArgumentException("cap " + maxShare + " is not in (0, 1]");
        }
    }

    /** The policy of a class that the file does not name. */
    public static ClassPolicy defaultFor(String className) {
        return new ClassPolicy(className, DEFAULT_PRIORITY, true, 1.0, false, null, WriteMode.INHERIT);
    }

    /** True when the class has a cap below the whole cache. */
    public boolean capped() {
        return maxShare < 1.0;
    }
}
