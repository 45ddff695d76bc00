package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.server.backend.ClassStatus;
import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server against unmodified NBD clients from Debian: qemu-img, qemu-io, nbdinfo, nbdcopy
 * and fio's nbd engine. Each test gets a fresh 32 MiB export.
 */
@Timeout(120)
class RealClientsTest {
    static final int SIZE = 32 << 20;
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer(dir, SIZE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private byte[] randomFile(Path p, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.write(p, b);
        return b;
    }

    @Test
    void qemuImgInfoConvertCompare() throws Exception {
        Tools.require("qemu-img");
        String info = Tools.ok(dir, "qemu-img", "info", server.unixUri("disk"));
        assertTrue(info.contains("(" + SIZE + " bytes)"), info);
        byte[] src = randomFile(dir.resolve("src.img"), SIZE, 1);
        Tools.ok(dir, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", "src.img", server.tcpUri("disk"));
        String cmp = Tools.ok(dir, "qemu-img", "compare", "-f", "raw", "-F", "raw", "src.img", server.unixUri("disk"));
        assertTrue(cmp.contains("Images are identical"), cmp);
        Tools.ok(dir, "qemu-img", "convert", "-f", "raw", "-O", "raw", server.unixUri("disk"), "back.img");
        assertArrayEquals(src, Files.readAllBytes(dir.resolve("back.img")));
        assertArrayEquals(src, Files.readAllBytes(server.file));
    }

    @Test
    void qemuOverAnODirectFileDevice() throws Exception {
        Path img = dir.resolve("direct.img");
        qemuOver(img, new dev.triage.server.backend.BlockDeviceBackend(dev.triage.device.FileDevice.create(img, SIZE),
                false, c -> -1));
    }

    @Test
    void qemuOverAFileChannel() throws Exception {
        Path img = dir.resolve("channel.img");
        qemuOver(img, new dev.triage.server.backend.FileChannelBackend(img, SIZE, 512, false, false, c -> -1));
    }

    private void qemuOver(Path img, dev.triage.server.backend.ExportBackend backend) throws Exception {
        Tools.require("qemu-img");
        var registry = new dev.triage.server.export.ExportRegistry();
        registry.add(new dev.triage.server.export.Export("direct", "O_DIRECT file", backend,
                dev.triage.server.export.Access.open()));
        Path sock = dir.resolve("direct.sock");
        try (registry; var nbd = new dev.triage.server.session.NbdServer(registry,
                dev.triage.server.session.ServerConfig.plain(), new dev.triage.server.metrics.ServerMetrics(c -> "c" + c))) {
            nbd.listenUnix(sock);
            String uri = "nbd+unix:///direct?socket=" + sock;
            byte[] src = randomFile(dir.resolve("src.img"), SIZE, 5);
            Tools.ok(dir, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", "src.img", uri);
            String cmp = Tools.ok(dir, "qemu-img", "compare", "-f", "raw", "-F", "raw", "src.img", uri);
            assertTrue(cmp.contains("Images are identical"), cmp);
            String out = Tools.ok(dir, "qemu-io", "-f", "raw", uri, "-c", "discard 1M 1M", "-c", "write -z 4M 64k",
                    "-c", "read -P 0 1M 1M", "-c", "read -P 0 4M 64k", "-c", "flush");
            assertFalse(out.contains("failed"), out);
            assertArrayEquals(Arrays.copyOfRange(src, 8 << 20, 9 << 20),
                    Arrays.copyOfRange(Files.readAllBytes(img), 8 << 20, 9 << 20));
        }
    }

    @Test
    void qemuIoPatternsDiscardAndWriteZeroes() throws Exception {
        Tools.require("qemu-io");
        String out = Tools.ok(dir, "qemu-io", "-f", "raw", server.unixUri("disk"),
                "-c", "write -P 0xab 1M 1M", "-c", "write -P 0xcd -f 3M 64k", "-c", "write -z 1M 64k",
                "-c", "discard 8M 1M", "-c", "flush",
                "-c", "read -P 0 1M 64k", "-c", "read -P 0xab 1088k 960k", "-c", "read -P 0xcd 3M 64k",
                "-c", "read -P 0 8M 1M");
        assertFalse(out.contains("failed") || out.contains("error"), out);
        byte[] disk = Files.readAllBytes(server.file);
        byte[] expect = new byte[960 << 10];
        Arrays.fill(expect, (byte) 0xab);
        assertArrayEquals(expect, Arrays.copyOfRange(disk, 1088 << 10, 2 << 20));
        assertArrayEquals(new byte[64 << 10], Arrays.copyOfRange(disk, 1 << 20, (1 << 20) + (64 << 10)));
        // A wrong pattern is noticed: the test can fail.
        String bad = Tools.run(dir, "qemu-io", "-f", "raw", server.unixUri("disk"), "-c", "read -P 0x11 1088k 4k").output();
        assertTrue(bad.contains("Pattern verification failed"), bad);
    }

    @Test
    void nbdinfoListAndMaps() throws Exception {
        Tools.require("nbdinfo");
        String list = Tools.ok(dir, "nbdinfo", "--list", server.unixUri(""));
        assertTrue(list.contains("export=\"disk\"") && list.contains("export=\"ro\""), list);
        assertFalse(list.contains("\"secret\"") || list.contains("\"alice\""), list);
        String info = Tools.ok(dir, "nbdinfo", server.unixUri("disk"));
        assertTrue(info.contains("block_size_minimum: 512") && info.contains("can_multi_conn: true")
                && info.contains("x-triage:class"), info);

        // Write class-hinted data through the extension, and trim a range.
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.ack(Nbd.OPT_X_TRIAGE_HINTS);
            c.option(Nbd.OPT_GO, OptionCodec.encodeInfo("disk"));
            c.optReplies();
            int journal = 7;
            c.request(journal + 1 << 8, Nbd.CMD_WRITE, 1, 1 << 20, 65536);
            c.out.write(new byte[65536]);
            c.request(0, Nbd.CMD_WRITE, 2, 4 << 20, 2 << 20);
            c.out.write(new byte[2 << 20]);
            c.request(0, Nbd.CMD_FLUSH, 3, 0, 0);
            c.flush();
            for (int i = 0; i < 3; i++) {
                assertEquals(0, c.simpleReply().error());
            }
            c.request(0, Nbd.CMD_TRIM, 4, 4 << 20, 1 << 20);
            c.flush();
            assertEquals(0, c.simpleReply().error());
        }
        String map = Tools.ok(dir, "nbdinfo", "--map", server.unixUri("disk"));
        assertTrue(map.contains("data") && map.contains("hole,zero"), map);
        // The trimmed 1 MiB at 4 MiB joins the untouched hole before it; the written MiB after it stays data.
        assertTrue(map.lines().anyMatch(l -> l.trim().split("\\s+")[0].equals("1114112")
                && l.trim().split("\\s+")[1].equals(Integer.toString((5 << 20) - 1114112)) && l.contains("hole,zero")), map);
        assertTrue(map.lines().anyMatch(l -> l.trim().startsWith("5242880") && l.contains("data")), map);
        String classes = Tools.ok(dir, "nbdinfo", "--map=x-triage:class", server.unixUri("disk"));
        int expected = ClassStatus.encode(7, 7 % 3);
        assertTrue(classes.lines().anyMatch(l -> l.trim().startsWith("1048576") && l.contains(" " + expected)), classes);
    }

    @Test
    void nbdcopyBothWays() throws Exception {
        Tools.require("nbdcopy");
        byte[] src = randomFile(dir.resolve("src.img"), SIZE, 2);
        Tools.ok(dir, "nbdcopy", "--flush", "src.img", server.unixUri("disk"));
        assertArrayEquals(src, Files.readAllBytes(server.file));
        Tools.ok(dir, "nbdcopy", server.tcpUri("disk"), "back.img");
        assertArrayEquals(src, Files.readAllBytes(dir.resolve("back.img")));
    }

    @Test
    void fioVerifiesCrc32c() throws Exception {
        Tools.require("fio");
        String out = Tools.ok(dir, "fio", "--name=verify", "--ioengine=nbd", "--uri=" + server.unixUri("disk"),
                "--rw=randwrite", "--bs=4k", "--iodepth=16", "--size=8M", "--verify=crc32c", "--do_verify=1",
                "--verify_fatal=1");
        assertTrue(out.contains("err= 0"), out);
        String two = Tools.ok(dir, "fio", "--name=mix", "--ioengine=nbd", "--uri=" + server.unixUri("disk"),
                "--rw=randrw", "--bs=4k", "--iodepth=8", "--numjobs=2", "--size=4M", "--offset_increment=8M",
                "--verify=crc32c", "--do_verify=1", "--verify_fatal=1", "--rwmixread=0");
        assertTrue(two.contains("err= 0"), two);
    }
}
