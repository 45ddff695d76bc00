package dev.triage.device.fault;

/**
 * What a simulated crash of a {@link FaultyDevice} did to the writes that were not yet durable.
 *
 * @param kept unflushed writes (and discards, zeroings) that persisted whole
 * @param dropped unflushed writes that vanished
 * @param torn unflushed writes of which only some atomic units persisted
 * @param forced FUA writes since the last flush (always kept)
 */
public record CrashReport(int kept, int dropped, int torn, int forced) {

    /** The number of unflushed, non-FUA operations the crash decided about. */
    public int unflushed() {
        return kept + dropped + torn;
    }
}
