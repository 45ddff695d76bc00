package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The radix map against a TreeMap. */
class VolumeMapTest {

    @Test
    void heightsFollowTheFanOut() {
        assertEquals(1, VolumeMap.heightFor(1));
        assertEquals(1, VolumeMap.heightFor(504));
        assertEquals(2, VolumeMap.heightFor(505));
        assertEquals(2, VolumeMap.heightFor(504L * 504));
        assertEquals(3, VolumeMap.heightFor(504L * 504 + 1));
        assertEquals(4, VolumeMap.heightFor(1L << 32));
    }

    @Property(tries = 200)
    void behavesLikeASortedMap(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 600_000) Integer> keys,
            @ForAll @IntRange(min = 1, max = 3) int removeEvery) {
        VolumeMap m = new VolumeMap(VolumeMap.heightFor(600_001));
        TreeMap<Long, Long> ref = new TreeMap<>();
        LongList freed = new LongList();
        long fakeAddr = 1000;
        int i = 0;
        for (int k : keys) {
            long vb = k;
            if (i++ % (removeEvery + 1) == removeEvery) {
                long prev = m.remove(vb, freed);
                Long r = ref.remove(vb);
                assertEquals(r == null ? 0 : (long) r, prev == 0 ? 0 : PoolFormat.phys(prev));
            } else {
                long phys = 100 + k;
                m.set(vb, phys, k % 7);
                ref.put(vb, phys);
            }
            // pretend some nodes were committed, so removals report their pages
            final long[] a = {fakeAddr};
            m.forEachNode(n -> {
                if (n.addr == 0) {
                    n.addr = a[0]++;
                }
            });
            fakeAddr = a[0];
        }
        assertEquals(ref.size(), m.mappedBlocks());
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertEquals((long) e.getValue(), PoolFormat.phys(m.get(e.getKey())));
        }
        List<Long> order = new ArrayList<>();
        m.forEachMapped(0, Long.MAX_VALUE, (vb, phys, code) -> order.add(vb));
        assertEquals(new ArrayList<>(ref.keySet()), order);
        long[] nodes = {0};
        m.forEachNode(n -> {
            nodes[0]++;
            assertTrue(n.count > 0, "no empty node stays in the tree");
        });
        assertEquals(nodes[0], m.nodeCount());
        if (ref.isEmpty()) {
            assertNull(m.root());
        }
        // every page handed back was a committed node's and is not in the tree any more
        java.util.Set<Long> live = new java.util.HashSet<>();
        m.forEachNode(n -> live.add(n.addr));
        for (int j = 0; j < freed.size(); j++) {
            assertTrue(!live.contains(freed.get(j)));
        }
    }

    @Test
    void growingKeepsTheMappings() {
        VolumeMap m = new VolumeMap(1);
        m.set(3, 77, 2);
        m.growTo(10_000_000);
        assertEquals(3, m.height());
        assertEquals(77, PoolFormat.phys(m.get(3)));
        assertEquals(2, PoolFormat.classCode(m.get(3)));
        assertEquals(0, m.get(9_999_999));
        assertEquals(3, m.nodesNeeded(9_999_999) + 1);
        m.set(9_999_999, 78, 0);
        assertEquals(2, m.mappedBlocks());
    }
}
