package dev.triage.device.bench;

import dev.triage.device.Buffers;
import dev.triage.device.FileDevice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * The Java side of bench/device-randio.sh: random reads or writes of one block size through a
 * {@link FileDevice} (O_DIRECT) from N threads, each with one request in flight, for a fixed
 * time after a warm-up; prints one line of {@code key=value} figures (IOPS, MiB/s, latency
 * percentiles in µs). A command-line program: it writes to standard output.
 *
 * <pre>
 * RandIoBench --file PATH [--mode randread|randwrite|randwrite-fua] [--threads 4] [--seconds 10]
 *             [--warmup 2] [--bs 4096] [--engine ffm|channel] [--fua rwf_dsync|write_then_fdatasync]
 *             [--direct true|false]
 * </pre>
 */
public final class RandIoBench {

    private RandIoBench() {
    }

    public static void main(String[] args) throws Exception {
        String file = null;
        String mode = "randread";
        int threads = 4;
        double seconds = 10;
        double warmup = 2;
        int bs = 4096;
        FileDevice.Engine engine = FileDevice.Engine.FFM;
        FileDevice.FuaMode fua = FileDevice.FuaMode.RWF_DSYNC;
        boolean direct = true;
        PrintStream out = System.out;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                usage("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--file" -> file = v;
                case "--mode" -> mode = v;
                case "--threads" -> threads = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--bs" -> bs = Integer.parseInt(v);
                case "--engine" -> engine = FileDevice.Engine.valueOf(v.toUpperCase(Locale.ROOT));
                case "--fua" -> fua = FileDevice.FuaMode.valueOf(v.toUpperCase(Locale.ROOT));
                case "--direct" -> direct = Boolean.parseBoolean(v);
                default -> usage("unknown option " + a);
            }
        }
        if (file == null) {
            usage("--file is required");
        }
        boolean write = mode.startsWith("randwrite");
        boolean fuaWrites = mode.equals("randwrite-fua");
        if (!write && !mode.equals("randread")) {
            usage("--mode must be randread, randwrite or randwrite-fua, not " + mode);
        }
        FileDevice.Options options = FileDevice.Options.DEFAULT.withEngine(engine).withFuaMode(fua)
                .withDirect(direct);
        try (FileDevice dev = FileDevice.open(Path.of(file), options)) {
            long blocks = dev.size() / bs;
            if (blocks == 0 || bs % dev.alignment() != 0) {
                usage("--bs " + bs + " must be a multiple of " + dev.alignment() + " and fit in " + dev.size());
            }
            run(dev, blocks, bs, threads, warmup, write, fuaWrites, out, false, mode, engine, fua);
            run(dev, blocks, bs, threads, seconds, write, fuaWrites, out, true, mode, engine, fua);
        }
    }

    private static void run(FileDevice dev, long blocks, int bs, int threads, double seconds, boolean write,
            boolean fua, PrintStream out, boolean report, String mode, FileDevice.Engine engine,
            FileDevice.FuaMode fuaMode) throws Exception {
        if (seconds <= 0) {
            return;
        }
        AtomicBoolean stop = new AtomicBoolean();
        long[] ops = new long[threads];
        Histogram[] lat = new Histogram[threads];
        Throwable[] failure = new Throwable[threads];
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            lat[t] = new Histogram(10_000_000_000L, 2);
            ts.add(Thread.ofPlatform().name("randio-" + t).unstarted(() -> {
                ByteBuffer buf = Buffers.allocateAligned(bs, Math.max(dev.alignment(), 4096));
                for (int i = 0; i < bs; i++) {
                    buf.put(i, (byte) (i * 31 + id));
                }
                SplittableRandom rnd = new SplittableRandom(0x5eed + id);
                long n = 0;
                try {
                    while (!stop.get()) {
                        long off = rnd.nextLong(blocks) * bs;
                        long t0 = System.nanoTime();
                        if (write) {
                            dev.write(off, buf.clear(), fua);
                        } else {
                            dev.read(off, buf.clear());
                        }
                        lat[id].recordValue(Math.min(System.nanoTime() - t0, 10_000_000_000L));
                        n++;
                    }
                } catch (Throwable e) {
                    failure[id] = e;
                }
                ops[id] = n;
            }));
        }
        long start = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        for (Throwable f : failure) {
            if (f != null) {
                throw new IOException("benchmark thread failed: " + f, f);
            }
        }
        if (!report) {
            return;
        }
        long total = 0;
        Histogram all = new Histogram(10_000_000_000L, 2);
        for (int t = 0; t < threads; t++) {
            total += ops[t];
            all.add(lat[t]);
        }
        double iops = total / (elapsed / 1e9);
        String engineName = engine.name().toLowerCase(Locale.ROOT);
        String fuaName = fuaMode.name().toLowerCase(Locale.ROOT);
        out.printf(Locale.ROOT, "java mode=%s engine=%s fua=%s direct=%s threads=%d bs=%d seconds=%.1f ops=%d"
                + " iops=%.0f mibps=%.1f lat_p50_us=%.1f lat_p99_us=%.1f bounces=%d%n", mode, engineName, fuaName,
                dev.options().direct(), threads, bs, elapsed / 1e9, total, iops, iops * bs / (1 << 20),
                all.getValueAtPercentile(50) / 1e3, all.getValueAtPercentile(99) / 1e3, dev.stats().bounces());
    }

    private static void usage(String problem) {
        System.err.println("RandIoBench: " + problem);
        System.err.println("usage: RandIoBench --file PATH [--mode randread|randwrite|randwrite-fua] [--threads N]"
                + " [--seconds S] [--warmup S] [--bs BYTES] [--engine ffm|channel] [--fua rwf_dsync|write_then_fdatasync]"
                + " [--direct true|false]");
        System.exit(2);
    }
}
