package dev.triage.device;

/** The kinds of operation a {@link BlockDevice} serves; used by statistics, timing models and fault injection. */
public enum DeviceOp {
    READ,
    WRITE,
    FLUSH,
    DISCARD,
    WRITE_ZEROES;

    private static final DeviceOp[] VALUES = values();

    /** The operation of ordinal {@code i}, without allocating a fresh {@code values()} array. */
    public static DeviceOp of(int i) {
        return VALUES[i];
    }

    /** The number of kinds. */
    public static int count() {
        return VALUES.length;
    }
}
