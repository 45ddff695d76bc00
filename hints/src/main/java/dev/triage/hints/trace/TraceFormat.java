package dev.triage.hints.trace;

/** The block trace formats Triage reads. */
public enum TraceFormat {
    /** The hinted CSV, version 1 ({@code trace-format.md}). */
    HINTED_CSV("csv"),
    /** Linux ftrace text with {@code block_rq_issue} events. */
    FTRACE("ftrace"),
    /** blkparse's default text output. */
    BLKPARSE("blkparse"),
    /** MSR Cambridge / SNIA CSV: {@code Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime}. */
    MSR("msr"),
    /** LIRS traces: one block number per line. */
    LIRS("lirs"),
    /** CloudPhysics block traces (as bundled with Caffeine's simulator). */
    CLOUDPHYSICS("cloudphysics");

    private final String cliName;

    TraceFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line ({@code --format}). */
    public String cliName() {
        return cliName;
    }

    /** The format for a command-line name, or null. */
    public static TraceFormat ofCliName(String name) {
        for (TraceFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(name) || f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
