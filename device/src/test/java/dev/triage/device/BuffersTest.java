package dev.triage.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BuffersTest {

    @Test
    void allocatesAlignedBuffersOfAnySize() {
        for (int size : new int[] {0, 1, 512, 4095, 4096, 4104, 1 << 20}) {
            for (int align : new int[] {512, 4096, 65536}) {
                ByteBuffer b = Buffers.allocateAligned(size, align);
                assertEquals(size, b.capacity(), "size " + size + " align " + align);
                assertEquals(0, b.position());
                assertTrue(Buffers.isAligned(b, align), "size " + size + " align " + align);
            }
        }
        assertFalse(Buffers.isAligned(ByteBuffer.allocate(4096), 512), "heap buffers are never aligned");
        assertFalse(Buffers.isAligned(Buffers.allocateAligned(8192).position(8), 4096));
        assertThrows(IllegalArgumentException.class, () -> Buffers.allocateAligned(4096, 1000));
    }

    @Test
    void poolReusesBuffersAndAllocatesOnlyWhenEmpty() {
        Buffers.Pool pool = new Buffers.Pool(8192, 4096, 2);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        assertEquals(3, pool.allocations());
        assertNotSame(a, b);
        pool.release(a);
        pool.release(b);
        pool.release(c); // dropped: the pool holds two
        ByteBuffer d = pool.acquire().position(100);
        pool.release(d);
        ByteBuffer e = pool.acquire();
        assertSame(d, e);
        assertEquals(0, e.position(), "acquire clears");
        assertEquals(3, pool.allocations());
        assertTrue(Buffers.isAligned(e, 4096));
        var err = assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocateDirect(10)));
        assertTrue(err.getMessage().contains("capacity 10"), err.getMessage());
    }
}
