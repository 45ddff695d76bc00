package dev.triage.placement;

import java.util.List;

/**
 * What {@link PoolChecker#check} found: the problems, and what it verified.
 *
 * @param device the device's description
 * @param generation the commit generation of the superblock used (-1 when none is valid)
 * @param volumes volumes in the catalogue
 * @param pagesVerified metadata pages read and verified (checksum and header)
 * @param mappedBlocks mapped blocks found in the maps
 * @param problems everything found, in the order found
 */
public record CheckReport(String device, long generation, int volumes, long pagesVerified, long mappedBlocks,
        List<Problem> problems) {

    /** True when nothing at all is wrong (not even a note). */
    public boolean clean() {
        return problems.isEmpty();
    }

    /** True when there is no {@link Problem.Severity#ERROR}: the pool opens and {@code repair} can fix the rest. */
    public boolean repairable() {
        return problems.stream().noneMatch(p -> p.severity() == Problem.Severity.ERROR);
    }

    public long count(Problem.Severity s) {
        return problems.stream().filter(p -> p.severity() == s).count();
    }

    /** A human-readable summary, one problem a line. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(device).append(": generation ").append(generation).append(", ").append(volumes)
                .append(" volume(s), ").append(pagesVerified).append(" metadata page(s) verified, ")
                .append(mappedBlocks).append(" mapped block(s)\n");
        if (problems.isEmpty()) {
            sb.append("clean\n");
        }
        for (Problem p : problems) {
            sb.append(p).append('\n');
        }
        return sb.toString();
    }
}
