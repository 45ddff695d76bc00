package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Measures the metadata memory per GiB written (dense and sparse) and what a recovery reads,
 * on a 64 GiB pool whose data writes are dropped (only the pool's own blocks are kept).
 */
class MetadataMemoryTest {
    static final long GIB = 1L << 30;

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void denseWritesCostAboutOnePointThreeMiBPerGiB() throws IOException {
        long size = 64 * GIB;
        MetadataOnlyDevice dev = new MetadataOnlyDevice(size, 2 + size / 4096 / 128);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume v = pool.createVolume("dense", 8 * GIB);
        long heap0 = usedHeap() - dev.keptBytes();
        long stats0 = pool.stats().metadataHeapBytes();
        ByteBuffer mib = ByteBuffer.allocateDirect(1 << 20);
        long written = GIB;
        for (long off = 0; off < written; off += 1 << 20) {
            v.write(off, mib.clear(), false);
        }
        pool.commit();
        long heap1 = usedHeap() - dev.keptBytes();
        long stats1 = pool.stats().metadataHeapBytes();
        double computed = (stats1 - stats0) / (double) (1 << 20) / (written / (double) GIB);
        double measured = (heap1 - heap0) / (double) (1 << 20) / (written / (double) GIB);
        assertEquals(GIB / 4096, v.mappedBlocks());

        for (int i = 0; i < 3; i++) {
            Pool.open(dev, null); // warm-up (JIT)
        }
        long readsBefore = dev.reads;
        long bytesBefore = dev.bytesRead;
        long t0 = System.nanoTime();
        Pool again = Pool.open(dev, null);
        long openNanos = System.nanoTime() - t0;
        long pagesRead = (dev.bytesRead - bytesBefore) / 4096;
        long readCalls = dev.reads - readsBefore;
        assertEquals(GIB / 4096, again.volume("dense").mappedBlocks());
        System.out.printf("[metadata-memory] dense: %.2f MiB heap per GiB written (computed), %.2f MiB measured (heap growth less the device's pages);"
                + " open read %d pages (%.2f MiB) in %d device reads, %d ms (warm), for 1 GiB written%n", computed, measured,
                pagesRead, pagesRead * 4096 / (double) (1 << 20), readCalls, openNanos / 1_000_000);
        assertTrue(computed < 1.5, "dense map costs " + computed + " MiB per GiB");
        assertTrue(pagesRead < 540, "open read " + pagesRead + " pages for 1 GiB written");
    }

    @Test
    void sparseWritesCostOneLeafPerBlock() throws IOException {
        long size = 64 * GIB;
        MetadataOnlyDevice dev = new MetadataOnlyDevice(size, 2 + size / 4096 / 128);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume v = pool.createVolume("sparse", 60 * GIB);
        long stats0 = pool.stats().metadataHeapBytes();
        ByteBuffer blk = ByteBuffer.allocateDirect(4096);
        long writes = 0;
        for (long off = 0; off < 60 * GIB; off += 504L * 4096) {
            v.write(off, blk.clear(), false);
            writes++;
        }
        pool.commit();
        long stats1 = pool.stats().metadataHeapBytes();
        double perBlock = (stats1 - stats0) / (double) writes;
        System.out.printf("[metadata-memory] sparse (one block per 2 MiB): %.0f bytes heap per written block"
                + " (%.0f MiB per GiB written)%n", perBlock, perBlock * 262144 / (1 << 20));
        assertTrue(perBlock < 3000);
    }
}
