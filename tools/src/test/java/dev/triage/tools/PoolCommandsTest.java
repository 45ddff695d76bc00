package dev.triage.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage pool create}, {@code volume ...}, {@code stat} and {@code check} on files. */
class PoolCommandsTest {
    @TempDir
    Path dir;

    String[] args(String... a) {
        String[] common = {"--pool", dir.resolve("slow.img").toString(), "--fast", dir.resolve("fast.img").toString(),
            "--buffered"};
        String[] all = new String[a.length + common.length];
        int n = 0;
        for (String s : a) {
            all[n++] = s;
            if (n == (a[0].equals("pool") || a[0].equals("volume") ? 2 : 1)) {
                for (String c : common) {
                    all[n++] = c;
                }
            }
        }
        return all;
    }

    CliRun ok(String... a) {
        CliRun r = CliRun.of(args(a));
        assertEquals(0, r.exit, r.out + r.err);
        return r;
    }

    @Test
    void poolVolumesStatAndCheck() throws Exception {
        ok("pool", "create", "--slow-size", "64M", "--fast-size", "8M", "--mode", "write-back");
        ok("volume", "create", "vm1", "16M");
        ok("volume", "create", "vm2", "8M");
        CliRun dup = CliRun.of(args("volume", "create", "vm1", "16M"));
        assertEquals(2, dup.exit, dup.err);
        assertTrue(dup.err.contains("exists already"), dup.err);
        ok("volume", "resize", "vm2", "12M");
        String list = ok("volume", "list").out;
        assertTrue(list.contains("vm1") && list.contains("vm2") && list.contains("12582912"), list);
        ok("volume", "delete", "vm1");
        assertTrue(!ok("volume", "list").out.contains("vm1"));

        JsonNode stat = new ObjectMapper().readTree(ok("stat", "--json").out);
        assertEquals("write-back", stat.get("cache").get("mode").asText(), stat.toString());
        assertEquals(1, stat.get("pool").get("volumes").size(), stat.toString());
        assertTrue(ok("stat").out.contains("cache on"));

        CliRun check = ok("check");
        assertTrue(check.out.contains("clean"), check.out);
    }

    @Test
    void checkReportsADamagedCacheTable() throws Exception {
        ok("pool", "create", "--slow-size", "64M", "--fast-size", "8M");
        ok("volume", "create", "vm1", "16M");
        // damage both copies of the first table page
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("fast.img").toFile(), "rw")) {
            for (long at : new long[] {8192 + 100, 12288 + 100}) {
                f.seek(at);
                f.write(new byte[] {1, 2, 3, 4});
            }
        }
        CliRun check = CliRun.of(args("check"));
        assertEquals(1, check.exit, check.out + check.err);
        assertTrue(check.out.contains("neither copy is valid"), check.out);
        assertTrue(Files.size(dir.resolve("fast.img")) > 0);
    }
}
