package dev.triage.tools.gen;

import com.github.luben.zstd.ZstdOutputStream;
import dev.triage.tools.UserError;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code triage gen}: a synthetic hinted trace (CSV v1) for scale tests: requests whose first
 * block is Zipf-distributed over a number of blocks (ranks scattered over the disk by a fixed
 * permutation), 1 to {@code 2·avg-1} blocks long, reads and writes, and a class per block region
 * (metadata, journal, small and large files), so per-class results mean something.
 */
@Command(name = "gen", mixinStandardHelpOptions = true,
        description = "Write a synthetic hinted block trace: Zipf over --blocks, with classes. "
                + "Plain, .gz or .zst by the file name; '-' for stdout.",
        footer = {"", "Example:", "  triage gen --touches 200M --blocks 50M --out big.csv.zst"})
public final class GenCommand implements Callable<Integer> {
    static final String[] CLASSES = {"inode", "directory", "journal", "file_4k", "file_16k", "file_64k", "file_256k",
            "file_1m", "file_4m", "file_16m"};
    // per 32 regions of the disk: which class owns it
    static final int[] REGION_CLASS = {0, 0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9,
            9, 9, 9, 9, 9};

    @Option(names = "--touches", paramLabel = "N", defaultValue = "20M",
            description = "Block touches to write (about): 20M, 200M. Default: ${DEFAULT-VALUE}.")
    String touches;

    @Option(names = "--blocks", paramLabel = "N", defaultValue = "5M",
            description = "Distinct blocks the Zipf ranks spread over. Default: ${DEFAULT-VALUE}.")
    String blocks;

    @Option(names = "--zipf", paramLabel = "S", defaultValue = "0.9", description = "Zipf exponent. Default: ${DEFAULT-VALUE}.")
    double zipf;

    @Option(names = "--avg-blocks", paramLabel = "N", defaultValue = "4",
            description = "Mean blocks per request (uniform 1..2N-1). Default: ${DEFAULT-VALUE}.")
    int avgBlocks;

    @Option(names = "--writes", paramLabel = "PCT", defaultValue = "30", description = "Percent of writes. Default: ${DEFAULT-VALUE}.")
    int writes;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "Output (.csv, .csv.gz, .csv.zst, or - ).")
    Path out;

    static long count(String option, String s) {
        String t = s.strip().toUpperCase(java.util.Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1_000;
        } else if (t.endsWith("M")) {
            mult = 1_000_000;
        } else if (t.endsWith("G")) {
            mult = 1_000_000_000;
        }
        if (mult > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t) * mult;
            if (v < 1) {
                throw new NumberFormatException();
            }
            return (long) v;
        } catch (NumberFormatException e) {
            throw new UserError(option + ": '" + s + "' is not a count (like 200M)");
        }
    }

    @Override
    public Integer call() throws IOException {
        long nTouches = count("--touches", touches);
        long nBlocks = count("--blocks", blocks);
        if (avgBlocks < 1 || writes < 0 || writes > 100) {
            throw new UserError("--avg-blocks must be >= 1 and --writes 0..100");
        }
        String name = out.toString();
        OutputStream raw = name.equals("-") ? System.out : Files.newOutputStream(out);
        OutputStream o = name.endsWith(".zst") ? new ZstdOutputStream(raw, 3)
                : name.endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
        try (CsvLines w = new CsvLines(new BufferedOutputStream(o, 1 << 20))) {
            write(w, nTouches, nBlocks);
        }
        return 0;
    }

    void write(CsvLines w, long nTouches, long nBlocks) throws IOException {
        w.text("# hinted block trace v1\n# source=triage gen; workload=zipf s=" + zipf + " over " + nBlocks
                + " blocks, seed " + seed + "; block_size=4096\nts_ns,op,offset,length,class\n");
        byte[][] classNames = new byte[CLASSES.length][];
        for (int i = 0; i < CLASSES.length; i++) {
            classNames[i] = CLASSES[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        ZipfSampler z = new ZipfSampler(nBlocks, zipf);
        SplittableRandom rnd = new SplittableRandom(seed);
        long a = multiplier(nBlocks);
        long region = Math.max(1, nBlocks / REGION_CLASS.length);
        long done = 0;
        long ts = 0;
        while (done < nTouches) {
            long rank = z.sample(rnd) - 1;
            long block = mulMod(rank, a, nBlocks);
            int len = avgBlocks == 1 ? 1 : 1 + rnd.nextInt(2 * avgBlocks - 1);
            if (block + len > nBlocks) {
                len = (int) (nBlocks - block);
            }
            int cls = REGION_CLASS[(int) Math.min(REGION_CLASS.length - 1, block / region)];
            boolean write = rnd.nextInt(100) < writes;
            ts += 1000 + rnd.nextInt(1000);
            w.number(ts);
            w.bytes(write ? W : R);
            w.number(block * 4096);
            w.comma();
            w.number(len * 4096L);
            w.comma();
            w.bytes(classNames[cls]);
            w.newline();
            done += len;
        }
    }

    private static final byte[] R = ",R,".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] W = ",W,".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The multiplier of the permutation {@code rank * a mod n} that scatters Zipf ranks over the
     * disk: coprime to {@code n} and near {@code 0.618 n}, so that neighbouring ranks land far
     * apart (and the hot ranks are spread over every class's region).
     */
    static long multiplier(long n) {
        if (n <= 2) {
            return 1;
        }
        long a = Math.max(2, (long) (n * 0.6180339887));
        while (gcd(a, n) != 1) {
            a++;
        }
        return a;
    }

    /** x * y mod m without overflow. */
    static long mulMod(long x, long y, long m) {
        long hi = Math.multiplyHigh(x, y);
        long lo = x * y;
        if (hi == 0 && lo >= 0) {
            return lo % m;
        }
        return java.math.BigInteger.valueOf(x).multiply(java.math.BigInteger.valueOf(y))
                .mod(java.math.BigInteger.valueOf(m)).longValue();
    }

    private static long gcd(long x, long y) {
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }
}
