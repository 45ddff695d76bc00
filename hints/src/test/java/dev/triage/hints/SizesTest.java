package dev.triage.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void parsesUnits() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(4096, Sizes.parse("4k"));
        assertEquals(4096, Sizes.parse("4KiB"));
        assertEquals(16L << 20, Sizes.parse("16MiB"));
        assertEquals(1L << 30, Sizes.parse("1G"));
        assertEquals(1000, Sizes.parse("1kB"));
        assertEquals(2_000_000, Sizes.parse("2MB"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("MiB"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("4 furlongs"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999P"));
    }

    @Test
    void formats() {
        assertEquals("16MiB", Sizes.format(16L << 20));
        assertEquals("1000B", Sizes.format(1000));
        assertEquals("48.2MiB", Sizes.format(12345 * 4096L));
        assertEquals("4KiB", Sizes.format(4096));
        assertEquals("1536MiB", Sizes.format(3L << 29));
    }

    @Property
    void formatOfWholeUnitsParsesBack(@ForAll @LongRange(min = 0, max = 1 << 20) long n) {
        long bytes = n << 12;
        String s = Sizes.format(bytes);
        if (!s.contains(".")) {
            assertEquals(bytes, Sizes.parse(s));
        }
    }
}
