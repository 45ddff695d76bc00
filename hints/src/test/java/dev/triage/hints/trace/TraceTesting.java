package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads small handmade traces for the tests. */
final class TraceTesting {
    private TraceTesting() {}

    static TraceOptions options(TraceFormat format) {
        return TraceOptions.defaults(new ClassVocabulary()).withFormat(format);
    }

    static TraceReader open(String name, String text, TraceOptions options) throws IOException {
        return Traces.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name, options);
    }

    static List<BlockRequest> readAll(TraceReader in) throws IOException {
        List<BlockRequest> out = new ArrayList<>();
        BlockRequest r = new BlockRequest();
        while (in.next(r)) {
            out.add(new BlockRequest().copyFrom(r));
        }
        return out;
    }

    static List<BlockRequest> readAll(String name, String text, TraceOptions options) throws IOException {
        try (TraceReader in = open(name, text, options)) {
            return readAll(in);
        }
    }

    /** The message of the error reading {@code text} throws. */
    static String error(String name, String text, TraceOptions options) {
        try (TraceReader in = open(name, text, options)) {
            readAll(in);
        } catch (TraceFormatException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new AssertionError("not a format error: " + e, e);
        }
        throw new AssertionError("no error reading:\n" + text);
    }
}
