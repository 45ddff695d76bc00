package dev.triage.cache.policy;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of cache policies by name: {@code lru}, {@code fifo}, {@code clock}, {@code
 * sieve}, {@code arc}, {@code 2q}, {@code s3fifo}, {@code wtinylfu}, {@code opt}, {@code dss},
 * with aliases ({@code s3-fifo}, {@code w-tinylfu}, {@code tinylfu}, {@code belady}, {@code
 * twoq}). Names are case-insensitive. More policies can be added with {@link #register}.
 */
public final class Policies {

    /** Makes a policy of a given capacity; {@code table} matters to class-aware policies. */
    @FunctionalInterface
    public interface Factory {
        CachePolicy create(long capacityBlocks, PolicyTable table);
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        register("lru", (c, t) -> new LruPolicy(c));
        register("fifo", (c, t) -> new FifoPolicy(c));
        register("clock", (c, t) -> new ClockPolicy(c));
        register("sieve", (c, t) -> new SievePolicy(c));
        register("arc", (c, t) -> new ArcPolicy(c));
        register("2q", (c, t) -> new TwoQueuePolicy(c), "twoq");
        register("s3fifo", (c, t) -> new S3FifoPolicy(c), "s3-fifo");
        register("wtinylfu", (c, t) -> new WindowTinyLfuPolicy(c), "w-tinylfu", "tinylfu");
        register("opt", (c, t) -> new OptPolicy(c), "belady");
        register("dss", (c, t) -> new DssPolicy(c, t != null ? t : PolicyTable.uniform(new ClassVocabulary())));
        register("ucp", (c, t) -> new UcpPolicy(c, t));
        register("adaptive", (c, t) -> new dev.triage.cache.policy.adaptive.AdaptivePolicy(c, t));
    }

    private Policies() {}

    /**
     * Adds (or replaces) a policy under {@code name} and its aliases.
     *
     * @throws IllegalArgumentException when an alias is already a policy's own name
     */
    public static synchronized void register(String name, Factory factory, String... aliases) {
        String key = name.toLowerCase(Locale.ROOT);
        FACTORIES.put(key, factory);
        ALIASES.remove(key);
        for (String a : aliases) {
            String ak = a.toLowerCase(Locale.ROOT);
            if (FACTORIES.containsKey(ak)) {
                throw new IllegalArgumentException("alias " + a + " is already the name of a policy");
            }
            ALIASES.put(ak, key);
        }
    }

    /** Removes a policy and its aliases (for tests and plug-ins). */
    public static synchronized void unregister(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        FACTORIES.remove(key);
        ALIASES.values().removeIf(key::equals);
    }

    /**
     * Makes the policy called {@code name} (or an alias) with {@code capacityBlocks} blocks.
     *
     * @param table the class policies (for {@code dss}); null means every class alike
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a
     *     bad capacity
     */
    public static CachePolicy create(String name, long capacityBlocks, PolicyTable table) {
        Factory f;
        synchronized (Policies.class) {
            String key = name == null ? "" : name.toLowerCase(Locale.ROOT).strip();
            f = FACTORIES.get(ALIASES.getOrDefault(key, key));
        }
        if (f == null) {
            throw new IllegalArgumentException(
                    "unknown cache policy '" + name + "'; known policies: " + String.join(", ", names())
                            + " (aliases: " + String.join(", ", aliases()) + ")");
        }
        return f.create(capacityBlocks, table);
    }

    /** The registered policies' own names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** The registered aliases. */
    public static synchronized List<String> aliases() {
        return new ArrayList<>(ALIASES.keySet());
    }

    /** The name an alias (or a name) stands for, or null when unknown. */
    public static synchronized String canonical(String name) {
        String key = name.toLowerCase(Locale.ROOT).strip();
        String c = ALIASES.getOrDefault(key, key);
        return FACTORIES.containsKey(c) ? c : null;
    }
}
