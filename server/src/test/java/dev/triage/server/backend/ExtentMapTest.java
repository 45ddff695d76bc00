package dev.triage.server.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link ExtentMap} against a byte-per-granule reference model, and the class status encoding. */
class ExtentMapTest {
    static final int G = 4096;
    static final int GRANULES = 64;

    record Op(int kind, int start, int len, int cls) {
    }

    @Property(tries = 300)
    void statusMatchesAReferenceModel(@ForAll @Size(max = 30) List<@IntRange(max = 3) Integer> kinds,
            @ForAll @Size(min = 30, max = 30) List<@IntRange(max = GRANULES * G - 1) Integer> starts,
            @ForAll @Size(min = 30, max = 30) List<@IntRange(min = 1, max = 8 * G) Integer> lens,
            @ForAll @IntRange(max = GRANULES * G - 1) int qStart, @ForAll @IntRange(min = 1, max = GRANULES * G) int qLen) {
        long size = (long) GRANULES * G;
        ExtentMap map = new ExtentMap(size, G, c -> c % 4);
        int[] state = new int[GRANULES];
        int[] cls = new int[GRANULES];
        java.util.Arrays.fill(cls, -1);
        for (int i = 0; i < kinds.size(); i++) {
            long off = starts.get(i);
            long len = Math.min(lens.get(i), size - off);
            int c = i % 5 - 1;
            long g0 = off / G;
            long g1 = (off + len - 1) / G;
            long full0 = (off + G - 1) / G;
            long full1 = (off + len == size ? size : off + len) / G;
            switch (kinds.get(i)) {
                case 0 -> {
                    map.markData(off, len, c);
                    for (long g = g0; g <= g1; g++) {
                        state[(int) g] = 0;
                        if (c >= 0) {
                            cls[(int) g] = c;
                        }
                    }
                }
                case 1 -> {
                    map.markFull(off, len, ExtentMap.HOLE);
                    for (long g = full0; g < full1; g++) {
                        state[(int) g] = 3;
                    }
                }
                case 2 -> {
                    map.markFull(off, len, ExtentMap.ZERO);
                    for (long g = full0; g < full1; g++) {
                        state[(int) g] = 2;
                    }
                }
                default -> {
                    map.classify(off, len, c);
                    for (long g = g0; g <= g1 && c >= 0; g++) {
                        cls[(int) g] = c;
                    }
                }
            }
        }
        long qEnd = Math.min(size, (long) qStart + qLen);
        for (MetaContext ctx : MetaContext.values()) {
            List<long[]> ext = new ArrayList<>();
            map.blockStatus(qStart, qEnd - qStart, ctx, (l, f) -> ext.add(new long[] {l, f}));
            long pos = qStart;
            int prev = Integer.MIN_VALUE;
            for (long[] e : ext) {
                assertTrue(e[0] > 0);
                assertTrue((int) e[1] != prev, "neighbouring extents differ");
                prev = (int) e[1];
                for (long p = pos; p < pos + e[0]; p += 512) {
                    int g = (int) (p / G);
                    int expect = ctx == MetaContext.BASE_ALLOCATION ? state[g]
                            : ClassStatus.encode(cls[g], cls[g] < 0 ? -1 : cls[g] % 4);
                    assertEquals(expect, (int) e[1], "at " + p + " in " + ctx);
                }
                pos += e[0];
            }
            assertEquals(qEnd, pos, "extents cover exactly the query");
        }
    }

    @Test
    void classStatusEncoding() {
        assertEquals(0, ClassStatus.encode(-1, -1));
        int s = ClassStatus.encode(7, 2);
        assertEquals(8 | (3 << 16), s);
        assertEquals(7, ClassStatus.classOf(s));
        assertEquals(2, ClassStatus.zoneOf(s));
        assertEquals(-1, ClassStatus.zoneOf(ClassStatus.encode(5, -1)));
    }
}
