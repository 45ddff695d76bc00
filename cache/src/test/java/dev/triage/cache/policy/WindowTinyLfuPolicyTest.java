package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** W-TinyLFU on a 100-block cache: window 1, probation ≤ 20, protected ≤ 79. */
class WindowTinyLfuPolicyTest {

    private static WindowTinyLfuPolicy warmed(Touches[] out) {
        WindowTinyLfuPolicy p = new WindowTinyLfuPolicy(100);
        Touches t = new Touches(p);
        for (int round = 0; round < 3; round++) {
            for (long b = 1; b <= 100; b++) {
                t.read(b);
            }
        }
        out[0] = t;
        return p;
    }

    @Test
    void regionsHaveCaffeineShares() {
        Touches[] t = new Touches[1];
        WindowTinyLfuPolicy p = warmed(t);
        assertEquals(100, p.size());
        long[] sizes = p.listSizes();
        assertEquals(1, sizes[0]);
        assertEquals(79, sizes[2]);
        assertEquals(20, sizes[1]);
    }

    @Test
    void oneHitWonderIsRejected() {
        Touches[] t = new Touches[1];
        WindowTinyLfuPolicy p = warmed(t);
        assertFalse(t[0].read(1000)); // enters the window
        assertTrue(p.contains(1000));
        assertFalse(t[0].read(1001)); // 1000 leaves the window and loses to the main victim
        assertFalse(p.contains(1000), "one-hit wonder admitted");
        assertTrue(p.contains(1001));
        assertEquals(1, p.frequency(1000));
    }

    @Test
    void frequentCandidateIsAdmitted() {
        Touches[] t = new Touches[1];
        WindowTinyLfuPolicy p = warmed(t);
        for (int i = 0; i < 5; i++) {
            t[0].read(2000); // hits in the window after the first
        }
        assertTrue(p.frequency(2000) >= 5);
        t[0].read(2001); // 2000 is the candidate: frequency 5 beats the victim's 3
        assertTrue(p.contains(2000));
        long[] sizes = p.listSizes();
        assertArrayEquals(new long[] {1, 20, 79}, sizes);
    }

    @Test
    void sketchCountsSaturateAndHalve() {
        FrequencySketch s = new FrequencySketch(16);
        for (int i = 0; i < 20; i++) {
            s.increment(7);
        }
        assertEquals(15, s.frequency(7));
        assertEquals(0, s.frequency(8) > 2 ? -1 : 0, "unrelated block barely counted");
        s.reset();
        assertEquals(7, s.frequency(7));
    }

    @Test
    void sketchResetsAfterTenTimesCapacityAdditions() {
        FrequencySketch s = new FrequencySketch(8); // sample size 80
        for (int i = 0; i < 79; i++) {
            s.increment(i);
        }
        assertEquals(79, s.additions());
        s.increment(1000);
        assertTrue(s.additions() < 79, "reset happened: " + s.additions());
    }
}
