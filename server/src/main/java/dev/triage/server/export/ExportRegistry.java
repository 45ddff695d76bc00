package dev.triage.server.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exports a server offers, by name. The first export added is also the default export
 * (the empty name). Lookups accept {@code NAME@SECRET} and split the secret off.
 */
public final class ExportRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExportRegistry.class);
    private final Map<String, Export> byName = new LinkedHashMap<>();

    /** Adds an export; names must be unique, non-empty and without '@'. */
    public synchronized void add(Export export) {
        String name = export.name();
        if (name.isEmpty() || name.indexOf('@') >= 0 || name.length() > 256) {
            throw new IllegalArgumentException("export name must be 1-256 characters without '@': \"" + name + "\"");
        }
        if (byName.putIfAbsent(name, export) != null) {
            throw new IllegalArgumentException("export \"" + name + "\" is given twice");
        }
    }

    /** The result of looking up a requested name: the export (or null) and the secret given. */
    public record Lookup(Export export, String secret) {
    }

    /** Finds the export a client asked for ({@code ""} = the default, {@code NAME@SECRET} allowed). */
    public synchronized Lookup find(String requested) {
        String name = requested;
        String secret = null;
        int at = requested.indexOf('@');
        if (at >= 0) {
            name = requested.substring(0, at);
            secret = requested.substring(at + 1);
        }
        Export e = name.isEmpty() ? (byName.isEmpty() ? null : byName.values().iterator().next()) : byName.get(name);
        return new Lookup(e, secret);
    }

    /** All exports, in the order they were added. */
    public synchronized Collection<Export> all() {
        return List.copyOf(byName.values());
    }

    @Override
    public synchronized void close() {
        List<Export> exports = new ArrayList<>(byName.values());
        byName.clear();
        for (Export e : exports) {
            try {
                e.backend().close();
            } catch (IOException ex) {
                log.error("closing export {}: {}", e.name(), ex.toString());
            }
        }
    }
}
