package dev.triage.hints.ext4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.ClassVocabulary;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Labels the raw devtree trace (shared/traces/devtree-raw: ftrace + dumpe2fs, journal, directory
 * and size lists) and compares, request by request, with the independently labelled
 * shared/traces/devtree.csv.gz: the share of requests whose class agrees, per class.
 */
class DevtreeAgreementTest {

    @Test
    void agreesWithTheReferenceLabels() throws Exception {
        String shared = System.getProperty("triage.shared", "../shared");
        Path raw = Path.of(shared, "traces", "devtree-raw");
        Path ref = Path.of(shared, "traces", "devtree.csv.gz");
        assumeTrue(Files.isDirectory(raw) && Files.exists(ref), "shared devtree traces are absent: " + raw);

        List<String> refClass = new ArrayList<>();
        List<Long> refOffset = new ArrayList<>();
        List<String> refSize = new ArrayList<>();
        try (BufferedReader in = RawTraceAnnotator.open(ref)) {
            boolean header = false;
            for (String s; (s = in.readLine()) != null; ) {
                if (s.startsWith("#")) {
                    continue;
                }
                if (!header) {
                    header = true;
                    continue;
                }
                String[] f = s.split(",", -1);
                refOffset.add(Long.parseLong(f[2]));
                refClass.add(f[4]);
                refSize.add(f[5]);
            }
        }
        ClassVocabulary vocab = new ClassVocabulary();
        Ext4Labeller labeller = new Ext4Labeller(DumpLayout.load(raw), vocab);
        List<String> ours = new ArrayList<>();
        long[] sizeAgree = new long[1];
        RawTraceAnnotator annotator = new RawTraceAnnotator();
        annotator.annotate(raw.resolve("ftrace.txt.gz"), labeller, -1, r -> {
            assertEquals(refOffset.get(ours.size()), r.offset, "request " + ours.size());
            String size = r.fileSize < 0 ? "" : Long.toString(r.fileSize);
            if (size.equals(refSize.get(ours.size()))) {
                sizeAgree[0]++;
            }
            ours.add(vocab.name(r.tag));
        });
        assertEquals(refClass.size(), ours.size(), "request count");

        Map<String, long[]> perClass = new TreeMap<>();
        Map<String, Map<String, Long>> confusion = new TreeMap<>();
        long agree = 0;
        for (int i = 0; i < ours.size(); i++) {
            String want = refClass.get(i);
            long[] c = perClass.computeIfAbsent(want, k -> new long[2]);
            c[0]++;
            if (want.equals(ours.get(i))) {
                c[1]++;
                agree++;
            } else {
                confusion.computeIfAbsent(want, k -> new TreeMap<>()).merge(ours.get(i), 1L, Long::sum);
            }
        }
        StringBuilder table = new StringBuilder("class agreement with devtree.csv.gz\n");
        table.append(String.format("%-14s %8s %8s %7s  %s%n", "class", "requests", "agree", "share", "ours instead"));
        for (var e : perClass.entrySet()) {
            long[] c = e.getValue();
            table.append(String.format("%-14s %8d %8d %6.1f%%  %s%n", e.getKey(), c[0], c[1], 100.0 * c[1] / c[0],
                    confusion.getOrDefault(e.getKey(), Map.of())));
        }
        table.append(String.format("%-14s %8d %8d %6.1f%%%n", "all", ours.size(), agree, 100.0 * agree / ours.size()));
        table.append(String.format("file_size agrees on %d of %d requests%n", sizeAgree[0], ours.size()));
        System.out.print(table);
        Files.writeString(Path.of("target", "devtree-agreement.txt"), table);
        assertTrue(agree >= 0.99 * ours.size(), table.toString());
        assertTrue(sizeAgree[0] >= 0.99 * ours.size(), table.toString());
    }
}
