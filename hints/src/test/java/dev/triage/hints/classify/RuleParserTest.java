package dev.triage.hints.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import org.junit.jupiter.api.Test;

class RuleParserTest {
    private final ClassVocabulary vocab = new ClassVocabulary();

    private boolean eval(String rule, BlockRequest r) {
        return RuleParser.parse(rule, vocab).test(r);
    }

    private static BlockRequest req(Op op, long offset, long length) {
        BlockRequest r = new BlockRequest();
        r.op = op;
        r.offset = offset;
        r.length = length;
        return r;
    }

    @Test
    void flagsAndTags() {
        BlockRequest r = req(Op.READ, 4096, 4096);
        r.flags = Rwbs.parse("RM", 0, 2);
        assertTrue(eval("metadata", r));
        assertFalse(eval("sync", r));
        assertTrue(eval("untagged", r));
        r.tag = vocab.find("inode");
        assertTrue(eval("tag:inode", r));
        assertFalse(eval("tag:journal", r));
        assertTrue(eval("tagged & metadata", r));
    }

    @Test
    void numericOperators() {
        BlockRequest r = req(Op.WRITE, 1 << 20, 8192);
        assertTrue(eval("request_size:8192", r));
        assertTrue(eval("request_size:le:8KiB", r));
        assertFalse(eval("request_size:lt:8k", r));
        assertTrue(eval("request_size:gt:4096", r));
        assertTrue(eval("request_size:ne:4096", r));
        assertTrue(eval("offset:ge:1MiB", r));
        assertTrue(eval("lba:2048", r));
        assertFalse(eval("file_size:le:4096", r)); // unknown size never matches
        r.fileSize = 3000;
        assertTrue(eval("file_size:le:4096", r));
    }

    @Test
    void precedenceAndGrouping() {
        BlockRequest r = req(Op.READ, 0, 4096);
        // & binds tighter than |: "op:write & sync | op:read" is true for a read
        assertTrue(eval("op:write & sync | op:read", r));
        assertFalse(eval("op:write & (sync | op:read)", r));
        assertTrue(eval("!op:write", r));
        assertFalse(eval("!!op:write", r));
        assertTrue(eval(" ( op:read ) ", r));
    }

    @Test
    void ioPriorityClass() {
        BlockRequest r = req(Op.READ, 0, 4096);
        assertFalse(eval("ioprio_class:be", r));
        r.ioprio = IoPrio.pack(IoPrio.BE, 0, 4);
        assertTrue(eval("ioprio_class:be", r));
        assertFalse(eval("ioprio_class:rt", r));
    }

    @Test
    void errorsSayWhereAndWhat() {
        RuleSyntaxException e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("metadata & bogus:1", vocab));
        assertEquals(12, e.column());
        assertTrue(e.getMessage().contains("unknown condition 'bogus'"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("request_size:about:4", vocab));
        assertTrue(e.getMessage().contains("'about' is not an operator"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("(metadata", vocab));
        assertTrue(e.getMessage().contains("not closed"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("metadata &", vocab));
        assertTrue(e.getMessage().contains("expected a condition"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("tag:Inode", vocab));
        assertTrue(e.getMessage().contains("not a class name"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("", vocab));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(RuleSyntaxException.class, () -> RuleParser.parse("file_size:le:4 parsecs", vocab));
        assertEquals(16, e.column());
    }
}
