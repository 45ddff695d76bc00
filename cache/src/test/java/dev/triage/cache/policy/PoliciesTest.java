package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    @Test
    void everyNameCreatesItsPolicy() {
        assertEquals(List.of("lru", "fifo", "clock", "sieve", "arc", "2q", "s3fifo", "wtinylfu", "opt", "dss", "ucp", "adaptive"),
                Policies.names());
        for (String name : Policies.names()) {
            CachePolicy p = Policies.create(name, 16, null);
            assertEquals(name, p.name());
            assertEquals(16, p.capacity());
            assertEquals(0, p.size());
        }
    }

    @Test
    void aliasesAndCase() {
        assertInstanceOf(S3FifoPolicy.class, Policies.create("s3-fifo", 8, null));
        assertInstanceOf(WindowTinyLfuPolicy.class, Policies.create("W-TinyLFU", 8, null));
        assertInstanceOf(WindowTinyLfuPolicy.class, Policies.create("tinylfu", 8, null));
        assertInstanceOf(OptPolicy.class, Policies.create("belady", 8, null));
        assertInstanceOf(TwoQueuePolicy.class, Policies.create("twoq", 8, null));
        assertEquals("opt", Policies.canonical("BELADY"));
    }

    @Test
    void unknownNameListsKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Policies.create("lfu", 8, null));
        for (String name : Policies.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertTrue(e.getMessage().contains("'lfu'"), e.getMessage());
    }

    @Test
    void negativeCapacityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Policies.create("lru", -1, null));
    }

    @Test
    void registryIsOpen() {
        Policies.register("test-mru-like", (c, t) -> new FifoPolicy(c), "test-alias");
        try {
            assertInstanceOf(FifoPolicy.class, Policies.create("test-alias", 4, null));
            assertTrue(Policies.names().contains("test-mru-like"));
        } finally {
            Policies.unregister("test-mru-like");
        }
        assertThrows(IllegalArgumentException.class, () -> Policies.create("test-alias", 4, null));
    }
}
