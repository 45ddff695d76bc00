package dev.triage.server.session;

import dev.triage.server.backend.MetaContext;
import dev.triage.server.export.Export;

/**
 * What the handshake of one connection settled: the export, the reply style, the selected
 * metadata contexts, whether class hints were negotiated, and the transmission flags sent.
 */
record Negotiated(Export export, boolean structured, boolean extended, boolean hints, MetaContext[] contexts,
        int transmissionFlags) {
}
