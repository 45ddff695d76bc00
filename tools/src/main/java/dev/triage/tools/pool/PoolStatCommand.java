package dev.triage.tools.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.triage.cache.live.CachedPool;
import dev.triage.cache.live.LiveCache;
import dev.triage.cache.live.LiveCacheStats;
import dev.triage.hints.ClassVocabulary;
import dev.triage.placement.PoolStats;
import dev.triage.placement.Volume;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code triage stat --pool DEV}: space and cache use of a pool, per zone, volume and class,
 * and cache lines per volume and class. (A mode of {@code triage stat}, which otherwise
 * describes a trace.)
 */
public final class PoolStatCommand {
    private PoolStatCommand() {}

    /** Prints the pool's statistics; returns the exit status. */
    public static int print(PoolDevices devices, boolean json) throws Exception {
        CachedPool p = devices.open();
        try {
            PoolStats ps = p.pool().stats();
            Map<String, Object> cache = cacheStats(p);
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("pool", ps);
                out.put("cache", cache);
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(out));
            } else {
                System.out.print(ps.format());
                System.out.print(formatCache(cache));
            }
        } finally {
            PoolDevices.close(p);
        }
        return 0;
    }

    /** The cache's state as plain maps (null-free; empty when the pool has no cache). */
    static Map<String, Object> cacheStats(CachedPool p) {
        Map<String, Object> out = new LinkedHashMap<>();
        LiveCache c = p.cache();
        if (c == null) {
            return out;
        }
        ClassVocabulary vocab = p.config().vocabulary();
        LiveCacheStats s = c.stats();
        out.put("device", c.device().describe());
        out.put("mode", c.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        out.put("policy", c.policy().name());
        out.put("blockSize", c.geometry().blockSize());
        out.put("slots", s.slots());
        out.put("capacity", s.capacity());
        out.put("lines", s.lines());
        out.put("dirtyLines", s.dirtyLines());
        out.put("recoveredLines", s.recoveredLines());
        out.put("recoveryMillis", s.recoveryMillis());
        Map<String, String> names = new TreeMap<>();
        for (Volume v : p.volumes()) {
            names.put(Integer.toString(v.id()), v.name());
        }
        Map<String, Map<String, long[]>> byVolume = new TreeMap<>();
        c.forEachLine((volume, block, ioClass, dirty) -> {
            String vn = names.getOrDefault(Integer.toString(volume), "#" + volume);
            long[] n = byVolume.computeIfAbsent(vn, k -> new TreeMap<>())
                    .computeIfAbsent(ioClass >= 0 && ioClass < vocab.size() ? vocab.name(ioClass) : "?",
                            k -> new long[2]);
            n[dirty ? 1 : 0]++;
        });
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, long[]>> e : byVolume.entrySet()) {
            Map<String, Object> classes = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> ce : e.getValue().entrySet()) {
                classes.put(ce.getKey(), Map.of("clean", ce.getValue()[0], "dirty", ce.getValue()[1]));
            }
            volumes.put(e.getKey(), classes);
        }
        out.put("linesByVolumeAndClass", volumes);
        return out;
    }

    @SuppressWarnings("unchecked")
    static String formatCache(Map<String, Object> c) {
        if (c.isEmpty()) {
            return "cache: none\n";
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("cache on %s: %s, policy %s, %d of %d lines used (%d dirty), %d B lines%n",
                c.get("device"), c.get("mode"), c.get("policy"), (Long) c.get("lines"), (Long) c.get("capacity"),
                (Long) c.get("dirtyLines"), (Integer) c.get("blockSize")));
        b.append(String.format("  %-24s %-16s %12s %12s%n", "VOLUME", "CLASS", "CLEAN", "DIRTY"));
        Map<String, Object> vols = (Map<String, Object>) c.get("linesByVolumeAndClass");
        for (Map.Entry<String, Object> v : vols.entrySet()) {
            for (Map.Entry<String, Object> cl : ((Map<String, Object>) v.getValue()).entrySet()) {
                Map<String, Long> n = (Map<String, Long>) cl.getValue();
                b.append(String.format("  %-24s %-16s %12d %12d%n", v.getKey(), cl.getKey(), n.get("clean"),
                        n.get("dirty")));
            }
        }
        return b.toString();
    }
}
