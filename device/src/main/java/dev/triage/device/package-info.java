/**
 * Physical devices behind one small interface, {@link dev.triage.device.BlockDevice}: files and raw
 * block devices through O_DIRECT ({@link dev.triage.device.FileDevice}), memory
 * ({@link dev.triage.device.MemoryDevice}), aligned buffers ({@link dev.triage.device.Buffers}).
 * Timing models live in {@code timing}, fault injection for crash tests in {@code fault}.
 */
package dev.triage.device;
