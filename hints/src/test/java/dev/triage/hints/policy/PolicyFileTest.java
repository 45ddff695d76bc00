package dev.triage.hints.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Rwbs;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class PolicyFileTest {
    private final ClassVocabulary vocab = new ClassVocabulary();

    @Test
    void shippedDssFileLoadsWithOpenCasPriorities() throws IOException {
        PolicyConfig c = PolicyFile.builtin("dss", vocab);
        PolicyTable t = c.table();
        assertEquals(0, t.forClass(vocab.find("inode")).priority());
        assertEquals(0, t.forClass(vocab.find("journal")).priority());
        assertEquals(9, t.forClass(vocab.find("file_4k")).priority());
        assertEquals(19, t.forClass(vocab.find("file_huge")).priority());
        assertEquals(22, t.forClass(vocab.find("unclassified")).priority());
        assertEquals("metadata", t.forClass(vocab.find("inode")).zone());
        assertEquals("bulk", t.forClass(vocab.find("file_1g")).zone());
        // A class the file does not name gets [defaults].
        ClassPolicy other = t.forClass(vocab.intern("my_new_class"));
        assertEquals(22, other.priority());
        assertEquals("my_new_class", other.className());
        assertEquals(3, c.zones().size());
        // Untagged metadata (an ftrace trace) becomes class "metadata".
        BlockRequest r = new BlockRequest();
        r.flags = Rwbs.parse("RM", 0, 2);
        assertEquals("metadata", vocab.name(c.classifier().classify(r)));
        r.flags = 0;
        r.fileSize = 100_000;
        assertEquals("file_256k", vocab.name(c.classifier().classify(r)));
        assertTrue(PolicyFile.builtins().contains("uniform"));
    }

    private PolicyFileException fails(String text) {
        return assertThrows(PolicyFileException.class, () -> PolicyFile.parse(text, "p.toml", vocab));
    }

    @Test
    void unknownFieldNamesFileLineAndField() {
        PolicyFileException e = fails("""
                version = 1
                [classes.inode]
                priority = 0
                prioroty = 3
                """);
        assertEquals("p.toml", e.source());
        assertEquals(4, e.line());
        assertEquals("classes.inode.prioroty", e.field());
        assertTrue(e.getMessage().startsWith("p.toml:4: classes.inode.prioroty: unknown field"), e.getMessage());
    }

    @Test
    void badValuesAreReportedWithTheirField() {
        assertEquals("classes.inode.priority", fails("[classes.inode]\npriority = 300\n").field());
        assertEquals("classes.inode.admission", fails("[classes.inode]\nadmission = \"sometimes\"\n").field());
        assertEquals("classes.inode.admission", fails("[classes.inode]\nadmission = 1.5\n").field());
        assertEquals("classes.inode.write_mode", fails("[classes.inode]\nwrite_mode = \"later\"\n").field());
        assertEquals("classes.inode.pinned", fails("[classes.inode]\npinned = \"yes\"\n").field());
        PolicyFileException z = fails("[zones.meta]\nstart = \"45%\"\nend = \"55%\"\n[classes.inode]\nzone = \"fast\"\n");
        assertEquals(5, z.line());
        assertTrue(z.getMessage().contains("no zone named 'fast'"), z.getMessage());
        assertEquals("classes.Inode", fails("[classes.Inode]\npriority = 1\n").field());
        assertEquals("colour", fails("colour = \"blue\"\n").field());
        assertEquals("version", fails("version = 2\n").field());
        PolicyFileException r = fails("[[rules]]\nclass = \"x\"\nwhen = \"metadata & wat\"\n");
        assertEquals(3, r.line());
        assertEquals("rules[1].when", r.field());
        assertTrue(r.getMessage().contains("unknown condition 'wat'"), r.getMessage());
        PolicyFileException toml = fails("[classes.inode\npriority = 1\n");
        assertEquals(1, toml.line());
        assertTrue(toml.getMessage().contains("not valid TOML"), toml.getMessage());
        assertEquals("classes.off.pinned", fails("[classes.off]\nadmission = \"off\"\npinned = true\n").field());
    }

    @Test
    void admissionForms() {
        PolicyConfig c = PolicyFile.parse("""
                [classes.a]
                admission = "off"
                [classes.b]
                admission = 0.25
                [classes.c]
                admission = "10%"
                [classes.d]
                admission = "on"
                pinned = true
                write_mode = "write-back"
                """, "p.toml", vocab);
        PolicyTable t = c.table();
        assertFalse(t.forClass(vocab.find("a")).admit());
        assertEquals(0.25, t.forClass(vocab.find("b")).maxShare());
        assertEquals(0.10, t.forClass(vocab.find("c")).maxShare(), 1e-12);
        assertTrue(t.forClass(vocab.find("d")).pinned());
        assertEquals(WriteMode.WRITE_BACK, t.forClass(vocab.find("d")).writeMode());
        assertFalse(t.forClass(vocab.find("d")).capped());
    }

    @Test
    void unknownBuiltinListsTheShippedOnes() {
        IOException e = assertThrows(IOException.class, () -> PolicyFile.loadPathOrBuiltin("dsss", vocab));
        assertTrue(e.getMessage().contains("dss"), e.getMessage());
    }
}
