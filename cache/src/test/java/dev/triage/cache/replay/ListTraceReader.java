package dev.triage.cache.replay;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.NameTable;
import dev.triage.hints.trace.TraceFormat;
import dev.triage.hints.trace.TraceReader;
import java.util.List;

/** A trace held in a list, for tests. */
final class ListTraceReader implements TraceReader {
    private final List<BlockRequest> requests;
    private int next;

    ListTraceReader(List<BlockRequest> requests) {
        this.requests = requests;
    }

    @Override
    public boolean next(BlockRequest r) {
        if (next >= requests.size()) {
            return false;
        }
        r.copyFrom(requests.get(next++));
        return true;
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.HINTED_CSV;
    }

    @Override
    public String source() {
        return "list";
    }

    @Override
    public long lineNumber() {
        return next;
    }

    @Override
    public long skipped() {
        return 0;
    }

    @Override
    public List<String> skippedSamples() {
        return List.of();
    }

    @Override
    public NameTable processes() {
        return new NameTable();
    }

    @Override
    public NameTable volumes() {
        return new NameTable();
    }

    @Override
    public long bytesRead() {
        return next;
    }

    @Override
    public long bytesTotal() {
        return requests.size();
    }

    @Override
    public void close() {}
}
