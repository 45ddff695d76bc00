package dev.triage.tools.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.triage.hints.Op;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results as one JSON document: the run's description, then one object per row. */
public final class JsonReport {
    private JsonReport() {}

    public static void write(Results results, PrintStream out) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("trace", results.trace());
        doc.put("policy_file", results.policyFile());
        doc.put("block_size", results.blockSize());
        Map<String, Object> totals = new LinkedHashMap<>();
        for (Op op : Op.values()) {
            totals.put("requests_" + op.name().toLowerCase(java.util.Locale.ROOT), results.totals().requests(op));
        }
        totals.put("touches", results.totals().touches());
        totals.put("read_touches", results.totals().readTouches());
        totals.put("discarded_blocks", results.totals().discardedBlocks());
        totals.put("skipped_lines", results.totals().skippedLines());
        if (results.distinctBlocks() >= 0) {
            totals.put("distinct_blocks", results.distinctBlocks());
        }
        doc.put("totals", totals);
        doc.put("seconds", results.seconds());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ResultRow r : results.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", r.policy());
            m.put("cache_bytes", r.cacheBytes());
            m.put("class", r.className());
            m.put("touches", r.touches());
            m.put("hits", r.hits());
            m.put("hit_ratio", r.hitRatio());
            m.put("read_touches", r.readTouches());
            m.put("read_hits", r.readHits());
            m.put("write_touches", r.writeTouches());
            m.put("write_hits", r.writeHits());
            rows.add(m);
        }
        doc.put("results", rows);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        mapper.writeValue(out, doc);
        out.println();
    }
}
