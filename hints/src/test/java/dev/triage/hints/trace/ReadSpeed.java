package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import java.nio.file.Path;

/**
 * Measures how fast traces are read (requests per second), not a test: run it with the test
 * class path, {@code java dev.triage.hints.trace.ReadSpeed FILE...}. Each file is read 5 times
 * (the first warms up the JIT) and the best of the others is printed.
 */
public final class ReadSpeed {
    private ReadSpeed() {}

    public static void main(String[] args) throws Exception {
        for (String file : args) {
            double best = 0;
            long count = 0;
            for (int round = 0; round < 5; round++) {
                ClassVocabulary vocabulary = new ClassVocabulary();
                BlockRequest r = new BlockRequest();
                long sum = 0;
                long t0 = System.nanoTime();
                try (TraceReader in = Traces.open(Path.of(file), TraceOptions.defaults(vocabulary))) {
                    count = 0;
                    while (in.next(r)) {
                        count++;
                        sum += r.offset + r.length + r.tag + r.comm;
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                if (round > 0) {
                    best = Math.max(best, count / secs);
                }
                if (sum == 42) {
                    System.out.print("");
                }
            }
            System.out.printf("%s: %d requests, best %.0f requests/s%n", file, count, best);
        }
    }
}
