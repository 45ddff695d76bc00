/**
 * {@link dev.triage.device.fault.FaultyDevice}: an in-memory device with a live and a durable image
 * that simulates crashes (dropping, keeping or tearing unflushed writes) and injects EIO.
 */
package dev.triage.device.fault;
