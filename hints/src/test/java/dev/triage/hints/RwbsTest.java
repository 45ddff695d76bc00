package dev.triage.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RwbsTest {
    private static int p(String s) {
        return Rwbs.parse(s, 0, s.length());
    }

    @Test
    void kernelStrings() {
        assertEquals(Rwbs.KNOWN | Rwbs.READ | Rwbs.META, p("RM"));
        assertEquals(Rwbs.KNOWN | Rwbs.READ | Rwbs.AHEAD | Rwbs.META, p("RAM"));
        assertEquals(Rwbs.KNOWN | Rwbs.PREFLUSH | Rwbs.FLUSH, p("FF"));
        assertEquals(Rwbs.KNOWN | Rwbs.PREFLUSH | Rwbs.WRITE | Rwbs.FUA | Rwbs.SYNC, p("FWFS"));
        assertEquals(Rwbs.KNOWN | Rwbs.DISCARD | Rwbs.SECURE, p("DE"));
        assertEquals(Rwbs.KNOWN | Rwbs.WRITE | Rwbs.SYNC, p("WS"));
        assertEquals(0, p(""));
        assertEquals(-1, p("WX"));
        assertEquals(-1, p("Q"));
        for (String s : new String[] {"RM", "RAM", "FF", "FWFS", "WS", "W", "R", "D", "N", "WFSM"}) {
            assertEquals(s, Rwbs.format(p(s)), s);
        }
        assertTrue(Rwbs.format(0).isEmpty());
    }
}
