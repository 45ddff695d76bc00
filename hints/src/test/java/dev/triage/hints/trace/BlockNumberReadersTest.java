package dev.triage.hints.trace;

import static dev.triage.hints.trace.TraceTesting.error;
import static dev.triage.hints.trace.TraceTesting.options;
import static dev.triage.hints.trace.TraceTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LIRS and CloudPhysics: block numbers that become reads of one block. */
class BlockNumberReadersTest {

    @Test
    void lirsBlocksBecomeOneBlockReads() throws IOException {
        String text = "5\n  7 \n*\n\n+3\n0\r\n4294967296\n";
        List<BlockRequest> rs = readAll("l.trace", text, options(TraceFormat.LIRS).withBlockSize(512));
        assertEquals(List.of(5L, 7L, 3L, 0L, 4294967296L), rs.stream().map(r -> r.offset / 512).toList());
        for (int i = 0; i < rs.size(); i++) {
            BlockRequest r = rs.get(i);
            assertEquals(Op.READ, r.op);
            assertEquals(512L, r.length);
            assertEquals(i, r.tsNs);
            assertEquals(-1, r.tag);
            assertEquals(-1, r.volume);
        }
    }

    @Test
    void lirsReportsWhatIsNotABlockNumber() {
        assertEquals("l.trace:2: 'x12' is not a block number", error("l.trace", "1\nx12\n", options(TraceFormat.LIRS)));
        assertEquals("l.trace:2: '1.5' is not a block number", error("l.trace", "1\n1.5\n", options(TraceFormat.LIRS)));
        assertEquals("l.trace:3: block number -4 is negative", error("l.trace", "1\n*\n-4\n", options(TraceFormat.LIRS)));
        assertEquals("l.trace:1: block number 4611686018427387904 times the block size 4096 is beyond the largest disk address",
                error("l.trace", "4611686018427387904\n", options(TraceFormat.LIRS)));
    }

    private static byte[] cloudPhysics(long... blocks) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (long b : blocks) {
            out.writeInt((int) b);
        }
        return bytes.toByteArray();
    }

    @Test
    void cloudPhysicsRecordsAreUnsignedBigEndianBlocks() throws IOException {
        byte[] data = cloudPhysics(1, 0xfffffffeL, 0, 1);
        try (TraceReader in = Traces.open(new ByteArrayInputStream(data), "c.bin", options(TraceFormat.CLOUDPHYSICS))) {
            List<BlockRequest> rs = TraceTesting.readAll(in);
            assertEquals(List.of(4096L, 0xfffffffeL * 4096, 0L, 4096L), rs.stream().map(r -> r.offset).toList());
            assertEquals(4, in.lineNumber());
            assertEquals(Op.READ, rs.get(1).op);
            assertEquals(4096L, rs.get(1).length);
        }
    }

    @Test
    void cloudPhysicsRefusesAPartialRecordUnlessSkipping() throws IOException {
        byte[] whole = cloudPhysics(1, 2);
        byte[] data = java.util.Arrays.copyOf(whole, 7);
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary()).withFormat(TraceFormat.CLOUDPHYSICS);
        try (TraceReader in = Traces.open(new ByteArrayInputStream(data), "c.bin", o)) {
            BlockRequest r = new BlockRequest();
            assertEquals(true, in.next(r));
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> in.next(r));
            assertEquals("c.bin:2: a partial record of 3 bytes at the end (records are 4 bytes)", e.getMessage());
        }
        try (TraceReader in = Traces.open(new ByteArrayInputStream(data), "c.bin", o.withSkipBad(true))) {
            assertEquals(1, TraceTesting.readAll(in).size());
            assertEquals(1, in.skipped());
        }
    }
}
