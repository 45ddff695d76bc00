package dev.triage.server.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The plain-file backend, mapped and through FileChannel. */
class FileChannelBackendTest {
    @TempDir
    Path dir;

    static byte[] read(ExportBackend be, long off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(len);
        be.read(off, b, ExportBackend.NO_CLASS);
        byte[] out = new byte[len];
        b.flip().get(out);
        return out;
    }

    static ByteBuffer filled(int len, int value) {
        byte[] a = new byte[len];
        Arrays.fill(a, (byte) value);
        return ByteBuffer.wrap(a);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesTrimsAndZeroes(boolean mmap) throws IOException {
        Path f = dir.resolve("f.img");
        Files.write(f, new byte[8192]);
        try (FileChannelBackend be = new FileChannelBackend(f, 64 * 1024, 512, false, mmap, c -> 0)) {
            // The file grew from 8 KiB: the rest is a hole.
            java.util.List<long[]> ext = new java.util.ArrayList<>();
            be.blockStatus(0, 65536, MetaContext.BASE_ALLOCATION, (l, s) -> ext.add(new long[] {l, s}));
            assertArrayEquals(new long[] {8192, 0}, ext.get(0));
            assertArrayEquals(new long[] {65536 - 8192, ExtentMap.HOLE}, ext.get(1));
            be.write(512, filled(512, 0x11), true, 3);
            assertArrayEquals(filled(512, 0x11).array(), read(be, 512, 512));
            be.write(16384, filled(8192, 0x22), false, ExportBackend.NO_CLASS);
            be.trim(16384, 8192);
            assertArrayEquals(new byte[8192], read(be, 16384, 8192), "trimmed reads zeros");
            // A partial write into a trimmed granule keeps the rest of it zero.
            be.write(16384 + 1024, filled(512, 0x33), false, ExportBackend.NO_CLASS);
            byte[] g = read(be, 16384, 4096);
            byte[] expect = new byte[4096];
            Arrays.fill(expect, 1024, 1536, (byte) 0x33);
            assertArrayEquals(expect, g);
            be.writeZeroes(512, 512, true, true, ExportBackend.NO_CLASS);
            assertArrayEquals(new byte[512], read(be, 512, 512));
            be.flush();
        }
        byte[] disk = Files.readAllBytes(f);
        assertEquals(65536, disk.length);
        assertEquals(0x33, disk[16384 + 1024]);
        assertEquals(0, disk[16384 + 2048], "zeroed on disk, not just in the map");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void badSetupsSayWhy(boolean mmap) {
        Path missing = dir.resolve("missing.img");
        assertThrows(IOException.class, () -> new FileChannelBackend(missing, -1, 512, false, mmap, c -> 0));
        assertThrows(IllegalArgumentException.class, () -> new FileChannelBackend(missing, 1000, 512, false, mmap, c -> 0));
        assertThrows(IllegalArgumentException.class, () -> new FileChannelBackend(missing, 4096, 3, false, mmap, c -> 0));
    }
}
