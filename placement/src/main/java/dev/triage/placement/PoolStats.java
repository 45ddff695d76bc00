package dev.triage.placement;

import java.util.List;
import java.util.Map;

/**
 * Space accounting of a pool at one moment: per zone, per volume and per class, in blocks of
 * {@link #blockSize()} bytes. For every zone {@code mapped + pendingFree + free == total}.
 *
 * @param generation the last committed generation
 * @param blockSize bytes per block
 * @param zones per zone
 * @param volumes per volume
 * @param classes per class (only classes with mapped blocks)
 * @param metadataPagesUsed metadata pages in use (durable tree plus pages not yet reusable)
 * @param metadataPages metadata area size in pages
 * @param metadataHeapBytes heap held by the maps and allocators
 */
public record PoolStats(long generation, int blockSize, List<ZoneStats> zones, List<VolumeStats> volumes,
        List<ClassStats> classes, long metadataPagesUsed, long metadataPages, long metadataHeapBytes) {

    /**
     * One zone.
     *
     * @param name zone name
     * @param start first block
     * @param end one past the last block
     * @param total blocks in the zone
     * @param mapped blocks mapped by some volume
     * @param pendingFree blocks freed by a transaction that is not durable yet (not reusable yet)
     * @param free blocks that can be allocated
     */
    public record ZoneStats(String name, long start, long end, long total, long mapped, long pendingFree, long free) {
    }

    /**
     * One volume.
     *
     * @param name volume name
     * @param id volume id
     * @param sizeBytes virtual size
     * @param mapped mapped (allocated) blocks
     * @param byClass mapped blocks per class name
     * @param byZone mapped blocks per zone name
     */
    public record VolumeStats(String name, int id, long sizeBytes, long mapped, Map<String, Long> byClass,
            Map<String, Long> byZone) {
    }

    /**
     * One class.
     *
     * @param name class name
     * @param zone the zone the policy places it in
     * @param mapped mapped blocks of the class
     * @param byZone mapped blocks per zone name
     * @param outsideZone blocks that live outside the class's zone (allocated there when it was full)
     */
    public record ClassStats(String name, String zone, long mapped, Map<String, Long> byZone, long outsideZone) {
    }
}
