/**
 * Block traces: streaming readers of the formats Triage replays, and a writer of the hinted CSV.
 *
 * <p>{@link dev.triage.hints.trace.Traces#open(java.nio.file.Path, TraceOptions)} opens a file
 * (or standard input, {@code -}), tells gzip and zstd from their magic bytes and the format from
 * the content, and returns a {@link dev.triage.hints.trace.TraceReader} that fills one reused
 * {@link dev.triage.hints.BlockRequest} per call. Offsets and lengths are bytes; the class hint is
 * a {@link dev.triage.hints.ClassVocabulary} id or -1; flags are {@link dev.triage.hints.Rwbs}
 * bits; process and volume ids come from the reader's own name tables.
 *
 * <table>
 *   <caption>Formats</caption>
 *   <tr><th>format</th><th>reader</th><th>hint</th><th>time</th></tr>
 *   <tr><td>hinted CSV v1</td><td>{@link dev.triage.hints.trace.HintedCsvReader}</td><td>class column</td><td>ts_ns</td></tr>
 *   <tr><td>ftrace {@code block_rq_issue}</td><td>{@link dev.triage.hints.trace.FtraceReader}</td><td>none</td><td>from the first request</td></tr>
 *   <tr><td>blkparse</td><td>{@link dev.triage.hints.trace.BlkparseReader}</td><td>none</td><td>from the first request</td></tr>
 *   <tr><td>MSR Cambridge</td><td>{@link dev.triage.hints.trace.MsrReader}</td><td>none</td><td>from the first request</td></tr>
 *   <tr><td>LIRS</td><td>{@link dev.triage.hints.trace.LirsReader}</td><td>none</td><td>request index</td></tr>
 *   <tr><td>CloudPhysics</td><td>{@link dev.triage.hints.trace.CloudPhysicsReader}</td><td>none</td><td>request index</td></tr>
 * </table>
 *
 * <p>Decisions shared by the kernel-trace readers (ftrace, blkparse): RWBS {@code D}/{@code DE}
 * is a discard, {@code F} as the operation or a pre-flush without data is a flush, and {@code N}
 * requests (no data, no address) are ignored and counted, not treated as malformed. Without a
 * device filter each request's volume is its disk ({@code major:minor}); with one, only that disk
 * is read and volumes are -1. The LIRS and CloudPhysics readers turn block {@code n} into a read
 * of {@code blockSize} bytes at {@code n * blockSize}, so that a replay at that block size sees
 * the keys Caffeine's simulator sees.
 *
 * <p>Parsing allocates nothing per request: lines are scanned in a reused byte buffer, numbers
 * parsed by hand, names interned in place ({@link dev.triage.hints.NameTable} allocates only on
 * a name's first sight). Malformed lines raise {@link dev.triage.hints.trace.TraceFormatException}
 * ({@code file:line: what}) or, with {@link TraceOptions#skipBad()}, are counted and sampled.
 */
package dev.triage.hints.trace;
