package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.cache.live.CacheMode;
import dev.triage.cache.live.CachedPool;
import dev.triage.device.FileDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.server.backend.ClassStatus;
import dev.triage.server.backend.PoolVolumeBackend;
import dev.triage.server.export.Access;
import dev.triage.server.export.Export;
import dev.triage.server.export.ExportRegistry;
import dev.triage.server.metrics.ServerMetrics;
import dev.triage.server.session.NbdServer;
import dev.triage.server.session.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live layer served over NBD to real clients: a pool volume behind a write-back cache on
 * O_DIRECT files. Data written by qemu-img survives a restart of the whole stack, and an
 * unmodified guest's ext4 metadata and journal are classified as such from what it writes.
 */
class PoolServeTest {
    static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    private CachedPool open(boolean create) throws Exception {
        PolicyConfig config = PolicyFile.builtin("dss", new ClassVocabulary());
        FileDevice slow = create ? FileDevice.create(dir.resolve("slow.img"), 256L << 20)
                : FileDevice.open(dir.resolve("slow.img"), FileDevice.Options.DEFAULT);
        FileDevice fast = create ? FileDevice.create(dir.resolve("fast.img"), 32L << 20)
                : FileDevice.open(dir.resolve("fast.img"), FileDevice.Options.DEFAULT);
        CachedPool p = create
                ? CachedPool.create(slow, fast, config, new CachedPool.CacheSpec("dss", CacheMode.WRITE_BACK))
                : CachedPool.open(slow, fast, config, new CachedPool.CacheSpec("dss", null));
        if (create) {
            p.createVolume("vm", SIZE);
        }
        return p;
    }

    private interface WithUri {
        void run(String uri, CachedPool pool) throws Exception;
    }

    private void serve(CachedPool pool, boolean guestClasses, WithUri body) throws Exception {
        ExportRegistry registry = new ExportRegistry();
        registry.add(new Export("vm", "pool volume", new PoolVolumeBackend(pool, "vm", guestClasses), Access.open()));
        Path sock = dir.resolve("nbd.sock");
        Files.deleteIfExists(sock);
        try (registry; NbdServer nbd = new NbdServer(registry, ServerConfig.plain(), new ServerMetrics(c -> "c" + c))) {
            nbd.listenUnix(sock);
            body.run("nbd+unix:///vm?socket=" + sock, pool);
        }
    }

    @Test
    void dataSurvivesARestartOfTheWholeStack() throws Exception {
        Tools.require("qemu-img");
        byte[] src = new byte[(int) SIZE];
        Random rnd = new Random(11);
        for (int i = 0; i < src.length; i += 8192) { // half the blocks data, half zeros
            rnd.nextBytes(java.util.Arrays.copyOfRange(src, i, i + 4096));
            byte[] block = new byte[4096];
            rnd.nextBytes(block);
            System.arraycopy(block, 0, src, i, 4096);
        }
        Files.write(dir.resolve("src.img"), src);
        try (CachedPool pool = open(true)) {
            serve(pool, false, (uri, p) -> {
                Tools.ok(dir, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", "src.img", uri);
                String cmp = Tools.ok(dir, "qemu-img", "compare", "-f", "raw", "-F", "raw", "src.img", uri);
                assertTrue(cmp.contains("Images are identical"), cmp);
            });
        }
        try (CachedPool pool = open(false)) {
            serve(pool, false, (uri, p) -> {
                String cmp = Tools.ok(dir, "qemu-img", "compare", "-f", "raw", "-F", "raw", "src.img", uri);
                assertTrue(cmp.contains("Images are identical"), cmp);
                Tools.ok(dir, "qemu-img", "convert", "-f", "raw", "-O", "raw", uri, "back.img");
                assertArrayEquals(src, Files.readAllBytes(dir.resolve("back.img")));
            });
        }
    }

    @Test
    void anUnmodifiedGuestsExt4MetadataIsClassifiedFromWhatItWrites() throws Exception {
        Tools.require("qemu-img");
        Tools.require("nbdinfo");
        Tools.require("mkfs.ext4");
        Path img = dir.resolve("fs.img");
        Tools.ok(dir, "truncate", "-s", Long.toString(SIZE), img.toString());
        Tools.ok(dir, "mkfs.ext4", "-q", "-F", "-b", "4096", img.toString());
        try (CachedPool pool = open(true)) {
            serve(pool, true, (uri, p) -> {
                // the "guest" writes its file system image; it sends no hints
                Tools.ok(dir, "qemu-img", "convert", "-n", "-S", "0", "-f", "raw", "-O", "raw", img.toString(), uri);
                Tools.ok(dir, "qemu-io", "-f", "raw", uri, "-c", "flush");
                String map = Tools.ok(dir, "nbdinfo", "--map=x-triage:class", uri);
                ClassVocabulary vocab = p.config().vocabulary();
                Set<String> seen = new HashSet<>();
                for (String line : map.strip().split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    int cls = ClassStatus.classOf(Integer.parseInt(f[2]));
                    if (cls >= 0) {
                        seen.add(vocab.name(cls));
                    }
                }
                assertTrue(seen.contains("superblock") && seen.contains("inode") && seen.contains("journal")
                        && seen.contains("block_bitmap"), "classes seen: " + seen + "\n" + map);
            });
        }
    }
}
