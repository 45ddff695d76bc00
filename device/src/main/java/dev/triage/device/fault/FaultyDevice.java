package dev.triage.device.fault;

import dev.triage.device.BlockDevice;
import dev.triage.device.DeviceChecks;
import dev.triage.device.DeviceOp;
import dev.triage.device.DeviceStats;
import dev.triage.device.MemoryDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * An in-memory device for crash and error tests. It keeps two images:
 *
 * <ul>
 *   <li>the <b>live</b> image, what reads return: every completed write, discard and zeroing;
 *   <li>the <b>durable</b> image, what would survive a power loss now: the live image as of
 *       the last {@link #flush()}, plus every FUA write since.
 * </ul>
 *
 * <p>{@link #crash(Random)} simulates a power loss and reboot: each write (discard, zeroing)
 * not yet flushed independently persists whole, vanishes, or — when it spans more than one
 * atomic unit (512 bytes by default) — is torn, each of its atomic units persisting or not;
 * the persisting parts are applied in issue order (so any subset of unflushed writes may
 * survive, in effect a reordering, but an older write never overwrites a newer one). FUA
 * writes always survive. The result becomes both the durable and the live image, and the
 * device stays usable, as after a reboot. Nothing else is ever changed: every atomic unit
 * reads back as of the last flush or as one of the writes issued to it since.
 *
 * <p>Errors are injected deterministically: {@link #failReadsAt}/{@link #failWritesAt} fail
 * every read (every write, discard or zeroing) that overlaps a range, {@link #failNext} fails
 * the next {@code n} operations of a kind. A failed operation throws an {@link IOException}
 * whose message starts with "EIO", changes nothing (a failed write leaves both images as
 * they were, a failed flush makes nothing durable, a failed read leaves the buffer untouched)
 * and is counted in {@link #injected(DeviceOp)}.
 *
 * <p>A crash test, typically:
 *
 * <pre>{@code
 * for (long seed = 0; seed < 1000; seed++) {               // or one seed per jqwik try
 *     FaultyDevice dev = new FaultyDevice(64L << 20);      // 64 MiB, 512-byte sectors
 *     Store store = Store.create(dev);                     // the code under test
 *     store.put(k1, v1);
 *     store.sync();                                        // ends in dev.flush()
 *     store.put(k2, v2);                                   // unflushed: may survive, or not
 *     dev.crash(seed);                                     // power loss, then reboot
 *     Store again = Store.open(dev);                       // recovery must succeed
 *     assertEquals(v1, again.get(k1));                     // flushed data always survives
 * }
 * FaultyDevice dev = new FaultyDevice(1 << 20);
 * dev.failWritesAt(4096, 512);                             // EIO on every write touching a sector
 * dev.failNext(DeviceOp.FLUSH, 1);                         // EIO on the next flush
 * }</pre>
 *
 * <p>Discarded ranges read as zeros. Thread-safe (every method is synchronized): meant for
 * tests, not for speed.
 */
public final class FaultyDevice implements BlockDevice {

    /** The default unit a device writes atomically: a sector. */
    public static final int DEFAULT_ATOMIC_UNIT = 512;

    /** A write not yet flushed; {@code data == null} for a discard or zeroing. */
    private record Pending(DeviceOp op, long offset, int length, byte[] data, boolean fua) {
    }

    private final long size;
    private final int alignment;
    private final int atomicUnit;
    private final MemoryDevice live;
    private final MemoryDevice durable;
    private final List<Pending> pending = new ArrayList<>();
    private final List<long[]> failReads = new ArrayList<>();
    private final List<long[]> failWrites = new ArrayList<>();
    private final int[] failNext = new int[DeviceOp.count()];
    private final long[] injected = new long[DeviceOp.count()];
    private final DeviceStats stats = new DeviceStats();
    private boolean closed;

    /** A device of {@code size} bytes, 512-byte alignment and atomic unit. */
    public FaultyDevice(long size) {
        this(size, DEFAULT_ATOMIC_UNIT, DEFAULT_ATOMIC_UNIT);
    }

    /**
     * A device of {@code size} bytes whose offsets and lengths are multiples of {@code alignment},
     * and that writes {@code atomicUnit} bytes atomically (a power of two dividing the alignment).
     */
    public FaultyDevice(long size, int alignment, int atomicUnit) {
        this.alignment = DeviceChecks.checkAlignment("alignment", alignment);
        this.atomicUnit = DeviceChecks.checkAlignment("atomicUnit", atomicUnit);
        if (atomicUnit > alignment) {
            throw new IllegalArgumentException("atomicUnit " + atomicUnit + " is larger than the alignment "
                    + alignment);
        }
        this.size = DeviceChecks.checkSize("size", size, alignment);
        this.live = new MemoryDevice(size, atomicUnit);
        this.durable = new MemoryDevice(size, atomicUnit);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    /** The unit a crash never tears. */
    public int atomicUnit() {
        return atomicUnit;
    }

    public synchronized DeviceStats stats() {
        return stats;
    }

    // ---- I/O ---------------------------------------------------------------------------------

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        DeviceChecks.checkBuffer(this, "read", offset, dst, size, alignment);
        DeviceChecks.checkWritable(this, dst);
        inject(DeviceOp.READ, offset, dst.remaining(), failReads);
        int len = dst.remaining();
        live.read(offset, dst);
        stats.count(DeviceOp.READ, len);
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        ensureOpen();
        DeviceChecks.checkBuffer(this, "write", offset, src, size, alignment);
        int len = src.remaining();
        inject(DeviceOp.WRITE, offset, len, failWrites);
        byte[] data = new byte[len];
        src.get(src.position(), data);
        live.write(offset, ByteBuffer.wrap(data), false);
        if (fua) {
            durable.write(offset, ByteBuffer.wrap(data), false);
        }
        pending.add(new Pending(DeviceOp.WRITE, offset, len, data, fua));
        src.position(src.position() + len);
        stats.count(DeviceOp.WRITE, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        ensureOpen();
        inject(DeviceOp.FLUSH, 0, 0, List.of());
        for (Pending p : pending) {
            // FUA data is durable already; applying it again, in order, keeps an older
            // unflushed write from overwriting it
            apply(durable, p, p.offset(), p.length());
        }
        pending.clear();
        stats.count(DeviceOp.FLUSH, 0);
    }

    @Override
    public synchronized void discard(long offset, long length) throws IOException {
        zeroing(DeviceOp.DISCARD, offset, length);
    }

    @Override
    public synchronized void writeZeroes(long offset, long length) throws IOException {
        zeroing(DeviceOp.WRITE_ZEROES, offset, length);
    }

    private void zeroing(DeviceOp op, long offset, long length) throws IOException {
        ensureOpen();
        String name = op == DeviceOp.DISCARD ? "discard" : "writeZeroes";
        DeviceChecks.checkRange(this, name, offset, length, size, alignment);
        inject(op, offset, length, failWrites);
        if (length > Integer.MAX_VALUE) {
            // split so that each pending record's length fits an int
            long done = 0;
            while (done < length) {
                int n = (int) Math.min(1L << 30, length - done);
                live.writeZeroes(offset + done, n);
                pending.add(new Pending(op, offset + done, n, null, false));
                done += n;
            }
        } else {
            live.writeZeroes(offset, length);
            pending.add(new Pending(op, offset, (int) length, null, false));
        }
        stats.count(op, length);
    }

    private static void apply(MemoryDevice image, Pending p, long offset, int length) throws IOException {
        if (p.data() == null) {
            image.writeZeroes(offset, length);
        } else {
            image.write(offset, ByteBuffer.wrap(p.data(), (int) (offset - p.offset()), length), false);
        }
    }

    // ---- crashes -----------------------------------------------------------------------------

    /** {@link #crash(Random)} with {@code new Random(seed)}. */
    public CrashReport crash(long seed) throws IOException {
        return crash(new Random(seed));
    }

    /**
     * Simulates a power loss and reboot: each unflushed, non-FUA write is kept, dropped or torn
     * (one chance in three each; a write of one atomic unit is kept or dropped), decided by
     * {@code random}; the surviving parts are applied to the durable image in issue order, and
     * the live image becomes that durable image.
     */
    public synchronized CrashReport crash(Random random) throws IOException {
        Objects.requireNonNull(random, "random");
        ensureOpen();
        int kept = 0;
        int dropped = 0;
        int torn = 0;
        int forced = 0;
        for (Pending p : pending) {
            if (p.fua()) {
                apply(durable, p, p.offset(), p.length());
                forced++;
                continue;
            }
            int units = p.length() / atomicUnit;
            int choice = units > 1 ? random.nextInt(3) : random.nextInt(2);
            if (choice == 0) {
                dropped++;
            } else if (choice == 1) {
                apply(durable, p, p.offset(), p.length());
                kept++;
            } else {
                for (int u = 0; u < units; u++) {
                    if (random.nextBoolean()) {
                        apply(durable, p, p.offset() + (long) u * atomicUnit, atomicUnit);
                    }
                }
                torn++;
            }
        }
        return reboot(kept, dropped, torn, forced);
    }

    /** Simulates a power loss that drops every unflushed, non-FUA write. */
    public synchronized CrashReport crashLosingAll() throws IOException {
        ensureOpen();
        int dropped = 0;
        int forced = 0;
        for (Pending p : pending) {
            if (p.fua()) {
                forced++;
            } else {
                dropped++;
            }
        }
        return reboot(0, dropped, 0, forced);
    }

    /** Simulates a power loss after which every unflushed write persisted (as if flushed). */
    public synchronized CrashReport crashKeepingAll() throws IOException {
        ensureOpen();
        int kept = 0;
        int forced = 0;
        for (Pending p : pending) {
            apply(durable, p, p.offset(), p.length());
            if (p.fua()) {
                forced++;
            } else {
                kept++;
            }
        }
        return reboot(kept, 0, 0, forced);
    }

    private CrashReport reboot(int kept, int dropped, int torn, int forced) {
        pending.clear();
        live.copyFrom(durable);
        return new CrashReport(kept, dropped, torn, forced);
    }

    /**
     * Reads the durable image: what survives if every unflushed write is dropped (the image as
     * of the last flush, plus FUA writes). Not subject to injected faults.
     */
    public synchronized void readDurable(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        DeviceChecks.checkBuffer(this, "readDurable", offset, dst, size, atomicUnit);
        durable.read(offset, dst);
    }

    /** How many writes, discards and zeroings were issued since the last flush (FUA ones included). */
    public synchronized int unflushed() {
        return pending.size();
    }

    // ---- injected errors ---------------------------------------------------------------------

    /** Fails every later read that overlaps {@code [offset, offset + length)} with EIO. */
    public synchronized void failReadsAt(long offset, long length) {
        failReads.add(range(offset, length));
    }

    /** Fails every later write, discard or zeroing that overlaps {@code [offset, offset + length)} with EIO. */
    public synchronized void failWritesAt(long offset, long length) {
        failWrites.add(range(offset, length));
    }

    /** Fails the next {@code n} operations of kind {@code op} with EIO (added to any already armed). */
    public synchronized void failNext(DeviceOp op, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n " + n + " is negative");
        }
        failNext[op.ordinal()] += n;
    }

    /** Removes every armed fault (ranges and counts); the counters of injected faults stay. */
    public synchronized void clearFaults() {
        failReads.clear();
        failWrites.clear();
        Arrays.fill(failNext, 0);
    }

    /** How many operations of kind {@code op} failed by injection so far. */
    public synchronized long injected(DeviceOp op) {
        return injected[op.ordinal()];
    }

    /** How many operations failed by injection so far, of every kind. */
    public synchronized long injectedTotal() {
        long n = 0;
        for (long i : injected) {
            n += i;
        }
        return n;
    }

    private long[] range(long offset, long length) {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("fault range [offset " + offset + ", length " + length
                    + ") is empty or negative");
        }
        return new long[] {offset, offset + length};
    }

    private void inject(DeviceOp op, long offset, long length, List<long[]> ranges) throws IOException {
        int k = op.ordinal();
        boolean fail = false;
        if (failNext[k] > 0) {
            failNext[k]--;
            fail = true;
        } else {
            for (long[] r : ranges) {
                if (offset < r[1] && offset + length > r[0]) {
                    fail = true;
                    break;
                }
            }
        }
        if (fail) {
            injected[k]++;
            stats.error();
            throw new IOException("EIO (injected) on " + op.name().toLowerCase(java.util.Locale.ROOT) + " of "
                    + length + " bytes at offset " + offset + " of " + describe());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(describe() + " is closed");
        }
    }

    @Override
    public String describe() {
        return "faulty memory (" + size + " bytes, block " + alignment + ", atomic unit " + atomicUnit + ")";
    }

    @Override
    public synchronized void close() {
        closed = true;
        live.close();
        durable.close();
        pending.clear();
    }

    @Override
    public String toString() {
        return describe();
    }
}
