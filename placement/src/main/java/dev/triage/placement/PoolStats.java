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

    /** A plain-text report (what {@code triage stat} prints): zones, volumes, classes. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        java.util.function.LongFunction<String> size = blocks -> human(blocks * blockSize);
        sb.append(String.format("generation %d, metadata %d of %d pages, %s heap%n", generation, metadataPagesUsed,
                metadataPages, human(metadataHeapBytes)));
        sb.append(String.format("%-16s %14s %12s %12s %12s %12s%n", "zone", "blocks", "size", "used", "pending",
                "free"));
        for (ZoneStats z : zones) {
            sb.append(String.format("%-16s %6d..%-7d %12s %12s %12s %12s%n", z.name(), z.start(), z.end(),
                    size.apply(z.total()), size.apply(z.mapped()), size.apply(z.pendingFree()), size.apply(z.free())));
        }
        sb.append(String.format("%-16s %14s %12s  %s%n", "volume", "size", "allocated", "by class / by zone"));
        for (VolumeStats v : volumes) {
            sb.append(String.format("%-16s %14s %12s  %s / %s%n", v.name(), human(v.sizeBytes()), size.apply(v.mapped()),
                    v.byClass(), v.byZone()));
        }
        sb.append(String.format("%-16s %-12s %12s %14s  %s%n", "class", "zone", "allocated", "outside zone",
                "by zone"));
        for (ClassStats c : classes) {
            sb.append(String.format("%-16s %-12s %12s %14s  %s%n", c.name(), c.zone(), size.apply(c.mapped()),
                    size.apply(c.outsideZone()), c.byZone()));
        }
        return sb.toString();
    }

    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format("%.1f %s", v, units[u]);
    }

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
