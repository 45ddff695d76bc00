package dev.triage.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class NameTableTest {
    @Property
    void behavesLikeAMapOfFirstAppearance(@ForAll @Size(max = 300) List<@StringLength(max = 6) String> names) {
        NameTable t = new NameTable();
        Map<String, Integer> ref = new HashMap<>();
        for (String n : names) {
            int id = t.intern("<" + n + ">", 1, n.length() + 1);
            Integer expected = ref.computeIfAbsent(n, k -> ref.size());
            assertEquals(expected, id);
            assertEquals(n, t.name(id));
            assertEquals(id, t.find(n));
        }
        assertEquals(ref.size(), t.size());
        assertEquals(-1, t.find("\u0000never"));
    }
}
