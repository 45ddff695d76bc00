package dev.triage.placement;

/**
 * A named range of pool blocks {@code [start, end)} in the data area of the slow device, where
 * the blocks of the classes placed in it are allocated (for example the middle of a disk for
 * file-system metadata).
 *
 * @param name the zone's name, as the policy file's {@code zone} field names it
 * @param start first block (pool block units of {@value PoolFormat#BLOCK} bytes)
 * @param end one past the last block
 */
public record Zone(String name, long start, long end) {
    public Zone {
        if (name == null || name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > PoolFormat.ZONE_NAME_BYTES) {
            throw new IllegalArgumentException("zone name '" + name + "' must be 1.."
                    + PoolFormat.ZONE_NAME_BYTES + " bytes");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("zone " + name + ": empty or negative range [" + start + ", " + end + ")");
        }
    }

    /** Number of blocks. */
    public long blocks() {
        return end - start;
    }

    public boolean contains(long block) {
        return block >= start && block < end;
    }

    /** Size in bytes. */
    public long bytes() {
        return blocks() * PoolFormat.BLOCK;
    }
}
