package dev.triage.hints.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.NameTable;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierTest {
    private final ClassVocabulary vocab = new ClassVocabulary();

    @Test
    void firstMatchingRuleThenTagThenDefault() {
        Classifier c = new Classifier(vocab, List.of(
                new Classifier.RuleSource("untagged & metadata", "metadata", 1),
                new Classifier.RuleSource("tag:journal & op:read", "journal_read", 2),
                new Classifier.RuleSource("op:read", "reads", 3)), "unclassified");
        BlockRequest r = new BlockRequest();
        r.op = Op.WRITE;
        r.flags = Rwbs.parse("WM", 0, 2);
        assertEquals("metadata", vocab.name(c.classify(r)));
        r.tag = vocab.find("journal");
        assertEquals("journal", vocab.name(c.classify(r)), "no rule matches a tagged write: the tag");
        r.op = Op.READ;
        assertEquals("journal_read", vocab.name(c.classify(r)), "the first matching rule wins");
        assertEquals(2, c.explain(r).line());
        r.tag = -1;
        r.flags = 0;
        assertEquals("reads", vocab.name(c.classify(r)));
        r.op = Op.WRITE;
        assertEquals("unclassified", vocab.name(c.classify(r)));
        assertNull(c.explain(r));
        assertEquals(r.ioClass, vocab.find("unclassified"));
    }

    @Test
    void processAndVolumeNamesAreBoundToTheReadersTables() {
        Classifier c = new Classifier(vocab, List.of(
                new Classifier.RuleSource("process_name:postgres", "database", 1),
                new Classifier.RuleSource("process_prefix:kworker", "writeback", 2),
                new Classifier.RuleSource("volume:vm2", "second", 3)), "other");
        NameTable procs = new NameTable();
        NameTable vols = new NameTable();
        c.bind(procs, vols);
        BlockRequest r = new BlockRequest();
        r.comm = procs.intern("postgres");
        assertEquals("database", vocab.name(c.classify(r)));
        r.comm = procs.intern("kworker/1:1H");
        assertEquals("writeback", vocab.name(c.classify(r)));
        r.comm = procs.intern("postgres2");
        assertEquals("other", vocab.name(c.classify(r)));
        r.volume = vols.intern("vm1");
        assertEquals("other", vocab.name(c.classify(r)));
        r.volume = vols.intern("vm2");
        assertEquals("second", vocab.name(c.classify(r)));
    }
}
