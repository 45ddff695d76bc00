package dev.triage.tools.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportSpecTest {
    @Test
    void parsesEveryKey() {
        ExportSpec s = ExportSpec.parse("vol=/tmp/x.img,size=64M,ro,min-block=4k,allow-cn=alice|bob,secret=s,description=my disk,direct");
        assertTrue(s.direct());
        assertEquals("vol", s.name());
        assertEquals(Path.of("/tmp/x.img"), s.file());
        assertEquals(64L << 20, s.size());
        assertTrue(s.readOnly());
        assertEquals(4096, s.minBlock());
        assertEquals(Set.of("alice", "bob"), s.allowCns());
        assertEquals("s", s.secret());
        assertEquals("my disk", s.description());
        ExportSpec d = ExportSpec.parse("a=f");
        assertEquals(-1, d.size());
        assertEquals(512, d.minBlock());
        assertTrue(d.mmap());
        assertTrue(!ExportSpec.parse("a=f,channel").mmap());
    }

    @Test
    void badInputSaysWhere() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("nofile")).getMessage().contains("NAME=FILE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("a=f,size=12Q")).getMessage().contains("bad size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExportSpec.parse("a=f,colour=red")).getMessage().contains("unknown key 'colour'"));
    }
}
