package dev.triage.server.backend;

/**
 * The status flags of the {@code x-triage:class} metadata context: bits 0-15 hold the class id
 * + 1, bits 16-31 the zone id + 1; 0 in either half means "not known" (so the all-zero status
 * is always a safe answer, as for {@code base:allocation}).
 */
public final class ClassStatus {
    private ClassStatus() {
    }

    /** Encodes a class id and a zone id ({@code -1} = unknown; ids 0..65534). */
    public static int encode(int classId, int zoneId) {
        int c = classId < 0 || classId >= 0xffff ? 0 : classId + 1;
        int z = zoneId < 0 || zoneId >= 0xffff ? 0 : zoneId + 1;
        return c | (z << 16);
    }

    /** The class id of a status, or {@code -1} when unknown. */
    public static int classOf(int status) {
        return (status & 0xffff) - 1;
    }

    /** The zone id of a status, or {@code -1} when unknown. */
    public static int zoneOf(int status) {
        return (status >>> 16) - 1;
    }
}
