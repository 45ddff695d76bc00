package dev.triage.server.export;

import dev.triage.server.backend.ExportBackend;

/** A named export: what clients open by name, its backend, description and access rule. */
public record Export(String name, String description, ExportBackend backend, Access access) {
}
