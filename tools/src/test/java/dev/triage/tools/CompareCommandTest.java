package dev.triage.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompareCommandTest {
    @Test
    void embeddedDefaultRunsEveryPolicy() {
        CliRun run = CliRun.of("compare", "--no-progress", "--no-per-class");
        assertEquals(0, run.exit, run.err);
        assertTrue(run.out.contains("builtin:devtree.csv.gz"), run.out);
        for (String p : new String[] {"lru", "fifo", "clock", "arc", "2q", "s3fifo", "sieve", "wtinylfu", "dss", "ucp", "opt"}) {
            assertTrue(run.out.lines().anyMatch(l -> l.startsWith(p + " ")), p + " missing:\n" + run.out);
        }
    }

    @Test
    void csvHasOneRowPerPolicySizeAndClass() {
        CliRun run = CliRun.of("compare", "--policies", "lru,opt", "--cache", "1MiB,4MiB", "--csv");
        assertEquals(0, run.exit, run.err);
        String[] lines = run.out.strip().split("\n");
        assertTrue(lines[0].startsWith("policy,cache_bytes,class,touches,hits,hit_ratio,read_touches,read_hits"));
        Set<String> keys = new HashSet<>();
        long allTouches = -1;
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            assertTrue(keys.add(f[0] + "/" + f[1] + "/" + f[2]), "duplicate row " + lines[i]);
            if (f[2].equals("all")) {
                if (allTouches < 0) {
                    allTouches = Long.parseLong(f[3]);
                }
                assertEquals(allTouches, Long.parseLong(f[3]), "every policy sees the same touches");
            }
            long hits = Long.parseLong(f[4]);
            long touches = Long.parseLong(f[3]);
            assertEquals(touches == 0 ? 0.0 : (double) hits / touches, Double.parseDouble(f[5]), 1e-6);
        }
        assertTrue(keys.contains("lru/1048576/all") && keys.contains("opt/4194304/all") && keys.contains("opt/4194304/inode"));
    }

    @Test
    void jsonAndRelativeSizes() throws Exception {
        CliRun run = CliRun.of("replay", "--policy", "arc", "--cache", "5%,25%", "--json");
        assertEquals(0, run.exit, run.err);
        JsonNode doc = new ObjectMapper().readTree(run.out);
        long distinct = doc.get("totals").get("distinct_blocks").asLong();
        assertTrue(distinct > 0);
        JsonNode first = doc.get("results").get(0);
        assertEquals("arc", first.get("policy").asText());
        assertEquals("all", first.get("class").asText());
        assertEquals((long) Math.floor(distinct * 0.05) * 4096, first.get("cache_bytes").asLong());
    }

    @Test
    void policiesAreListed() {
        CliRun run = CliRun.of("policies");
        assertEquals(0, run.exit);
        assertTrue(run.out.contains("s3fifo") && run.out.contains("dss") && run.out.contains("uniform"), run.out);
    }
}
