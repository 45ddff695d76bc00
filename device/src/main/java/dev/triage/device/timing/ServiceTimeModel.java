package dev.triage.device.timing;

import dev.triage.device.DeviceOp;

/**
 * How long a device takes to serve one operation, in virtual nanoseconds. A model may keep
 * state (a disk's head position, an SSD's write cache), so it is fed the operations in the
 * order the device serves them, each with the virtual time it starts at. Deterministic: the
 * same sequence gives the same times. Not thread-safe; {@link TimedDevice} serialises calls.
 */
public interface ServiceTimeModel {

    /**
     * The service time of {@code op} on {@code [offset, offset + length)} starting at virtual
     * time {@code startNanos}, and moves the model's state past it.
     */
    long serviceNanos(DeviceOp op, long offset, long length, long startNanos);

    /** A one-line description with the parameters. */
    String describe();
}
