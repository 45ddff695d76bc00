/**
 * An NBD server (the protocol of {@code NetworkBlockDevice/nbd:doc/proto.md}) that serves
 * exports to unmodified clients and, to clients that negotiate the Triage extension
 * ({@code docs/nbd-extension.md}), takes a class hint with each request.
 *
 * <p>Layout: {@code protocol} (wire constants and encoders), {@code backend} (what an export
 * is served from), {@code export} (the named exports and who may open them), {@code session}
 * (handshake and transmission of one connection, and the listeners), {@code metrics}
 * (Prometheus text exposition).
 */
package dev.triage.server;
