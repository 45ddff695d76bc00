package dev.triage.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** triage sweep, stat and gen on the bundled trace and on generated ones. */
class SweepStatGenTest {
    @TempDir
    Path dir;

    /** policy/size -> hits of class all, from compare's CSV. */
    static Map<String, Long> compareHits(String policies, String sizes) {
        CliRun run = CliRun.of("compare", "--policies", policies, "--cache", sizes, "--csv", "--no-progress");
        assertEquals(0, run.exit, run.err);
        Map<String, Long> out = new HashMap<>();
        for (String line : run.out.strip().split("\n")) {
            String[] f = line.split(",");
            if (f[2].equals("all")) {
                out.put(f[0] + "/" + f[1], Long.parseLong(f[4]));
            }
        }
        return out;
    }

    @Test
    void sweepAgreesWithCompareToTheLastHitAndDrawsPlots() throws Exception {
        String sizes = "256KiB,1MiB,3MiB,8MiB";
        Map<String, Long> expected = compareHits("lru,sieve,opt", sizes);
        Path svg = dir.resolve("s.svg");
        Path html = dir.resolve("s.html");
        CliRun run = CliRun.of("sweep", "--policies", "lru,sieve,opt", "--cache", sizes, "--csv", "--no-progress", "-j",
                "2", "--plot", svg.toString(), "--html", html.toString());
        assertEquals(0, run.exit, run.err);
        int rows = 0;
        for (String line : run.out.strip().split("\n")) {
            String[] f = line.split(",");
            if (f[2].equals("all")) {
                rows++;
                assertEquals(expected.get(f[0] + "/" + f[1]), Long.parseLong(f[5]), line);
            }
        }
        assertEquals(12, rows);
        String s = Files.readString(svg);
        assertTrue(s.startsWith("<svg") && s.contains("</svg>"), s);
        assertTrue(s.contains(">lru</text>") && s.contains(">sieve</text>") && s.contains(">opt</text>"), "legend");
        assertTrue(s.contains("<polyline"), "lines");
        assertTrue(s.contains("1MiB"), "x tick labels");
        String h = Files.readString(html);
        assertTrue(h.contains("<table") && h.contains("<svg") && h.contains("opt"), "html has table and plot");
    }

    @Test
    void shardsAtRateOneIsTheExactCurveAndItsErrorIsReported() throws Exception {
        CliRun run = CliRun.of("sweep", "--policies", "lru", "--cache", "64KiB..16MiB", "--points", "6", "--shards",
                "1", "--json", "--no-progress");
        assertEquals(0, run.exit, run.err);
        JsonNode doc = new ObjectMapper().readTree(run.out);
        assertEquals(6, doc.get("cache_bytes").size());
        JsonNode lru = doc.get("series").get(0);
        JsonNode shards = doc.get("series").get(1);
        assertEquals("lru~shards", shards.get("name").asText());
        for (int i = 0; i < 6; i++) {
            assertEquals(lru.get("hit_ratio").get(i).asDouble(), shards.get("hit_ratio").get(i).asDouble(), 1e-9);
        }
        assertEquals(0.0, doc.get("shards_max_error").asDouble(), 1e-9);
    }

    @Test
    void statCountsAgreeWithReplay() throws Exception {
        CliRun stat = CliRun.of("stat", "--json", "--no-progress");
        assertEquals(0, stat.exit, stat.err);
        JsonNode s = new ObjectMapper().readTree(stat.out);
        CliRun rep = CliRun.of("replay", "--policy", "lru", "--cache", "10%", "--json", "--no-progress");
        JsonNode r = new ObjectMapper().readTree(rep.out);
        assertEquals(r.get("totals").get("distinct_blocks").asLong(), s.get("distinct_blocks").asLong());
        long touches = s.get("touches").asLong();
        assertEquals(r.get("totals").get("touches").asLong(), touches);
        long sum = s.get("cold_touches").asLong();
        for (JsonNode b : s.get("reuse_log2")) {
            sum += b.get("touches").asLong();
        }
        assertEquals(touches, sum, "every touch is cold or in a bucket");
        long classTouches = 0;
        for (JsonNode c : s.get("classes")) {
            classTouches += c.get("touches").asLong();
        }
        assertEquals(touches, classTouches);
        assertEquals(touches, s.get("read_touches").asLong() + s.get("write_touches").asLong());
    }

    @Test
    void genWritesAReadableZstdTraceThatStatDescribes() throws Exception {
        Path t = dir.resolve("g.csv.zst");
        CliRun gen = CliRun.of("gen", "--touches", "200K", "--blocks", "20K", "--out", t.toString());
        assertEquals(0, gen.exit, gen.err);
        CliRun stat = CliRun.of("stat", t.toString(), "--json", "--no-progress");
        assertEquals(0, stat.exit, stat.err);
        JsonNode s = new ObjectMapper().readTree(stat.out);
        long touches = s.get("touches").asLong();
        assertTrue(touches >= 200_000 && touches < 200_000 + 8, "touches " + touches);
        assertTrue(s.get("distinct_blocks").asLong() <= 20_000);
        assertTrue(s.get("classes").has("journal") && s.get("classes").has("file_16m"), stat.out);
        double writes = (double) s.get("write_touches").asLong() / touches;
        assertEquals(0.30, writes, 0.03);
    }

    @Test
    void sampledStatIsCloseToExact() throws Exception {
        Path t = dir.resolve("z.csv.gz");
        assertEquals(0, CliRun.of("gen", "--touches", "400K", "--blocks", "100K", "--out", t.toString()).exit);
        JsonNode exact = new ObjectMapper().readTree(CliRun.of("stat", t.toString(), "--json", "--no-progress").out);
        JsonNode est = new ObjectMapper().readTree(
                CliRun.of("stat", t.toString(), "--json", "--no-progress", "--sample", "0.1").out);
        assertEquals(exact.get("touches").asLong(), est.get("touches").asLong(), "counts stay exact");
        double d = exact.get("distinct_blocks").asDouble();
        assertEquals(d, est.get("distinct_blocks").asDouble(), 0.05 * d, "working set within 5%");
        assertEquals(0.1, est.get("sample_rate").asDouble(), 1e-9);
    }

    @Test
    void statTakesOneTraceOnly() {
        CliRun run = CliRun.of("stat", "a.csv", "--trace", "b.csv", "--no-progress");
        assertEquals(2, run.exit);
        assertTrue(run.err.contains("two traces"), run.err);
    }
}
