package dev.triage.hints.policy;

/**
 * A placement zone as the policy file names it: a range of the slow device's data area, with
 * its bounds either as a share of the area ({@code 45%}) or in bytes.
 *
 * @param name the zone's name
 * @param start where it starts: a fraction of the area when {@code startIsFraction}, else bytes
 * @param end where it ends (exclusive), in the same way
 * @param description free text
 */
public record ZoneSpec(String name, double start, boolean startIsFraction, double end, boolean endIsFraction,
        String description) {

    /** The zone's byte range {@code [start, end)} within a data area of {@code areaBytes}, aligned down to {@code align}. */
    public long[] resolve(long areaBytes, long align) {
        long s = startIsFraction ? (long) (start * areaBytes) : (long) start;
        long e = endIsFraction ? (long) (end * areaBytes) : (long) end;
        s = Math.min(areaBytes, s) / align * align;
        e = Math.min(areaBytes, e) / align * align;
        return new long[] {s, e};
    }
}
