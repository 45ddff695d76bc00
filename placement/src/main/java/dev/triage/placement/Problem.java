package dev.triage.placement;

/**
 * One thing {@link PoolChecker} found wrong (or worth saying) about a pool's metadata.
 *
 * @param severity how bad it is
 * @param where the place: a superblock copy, a page address, a volume and block
 * @param what what is wrong, in words
 */
public record Problem(Severity severity, String where, String what) {

    /** How bad a problem is. */
    public enum Severity {
        /** Expected after a crash (a torn superblock slot of an unfinished commit); open heals it. */
        NOTE,
        /** Wrong but safe to repair: a stale or torn superblock copy, accounting that disagrees with the maps. */
        REPAIRABLE,
        /** Corruption repair cannot fix without losing or exposing data: a bad map page, a block mapped twice. */
        ERROR
    }

    @Override
    public String toString() {
        return severity + " " + where + ": " + what;
    }
}
