package dev.triage.tools.report;

import dev.triage.cache.replay.ClassStats;
import dev.triage.cache.replay.Simulation;
import dev.triage.cache.replay.TraceTotals;
import dev.triage.hints.ClassVocabulary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The results of a run, as rows, with what is needed to describe the run. */
public record Results(String trace, String policyFile, int blockSize, TraceTotals totals, long distinctBlocks,
        double seconds, List<ResultRow> rows, List<String> policies, List<Long> cacheSizes, List<String> classes,
        List<Simulation> simulations) {

    /** Builds the rows: per simulation, {@code all} then each class with touches, in class-id order. */
    public static Results of(String trace, String policyFile, int blockSize, TraceTotals totals, long distinct,
            double seconds, List<Simulation> sims, ClassVocabulary vocabulary) {
        Set<Integer> classIds = new java.util.TreeSet<>();
        for (Simulation s : sims) {
            ClassStats st = s.stats();
            for (int c = 0; c < st.classes(); c++) {
                if (st.touches(c) > 0) {
                    classIds.add(c);
                }
            }
        }
        List<String> classNames = new ArrayList<>();
        for (int c : classIds) {
            classNames.add(vocabulary.name(c));
        }
        List<ResultRow> rows = new ArrayList<>();
        Set<String> policies = new LinkedHashSet<>();
        Set<Long> sizes = new LinkedHashSet<>();
        for (Simulation s : sims) {
            ClassStats st = s.stats();
            policies.add(s.policyName());
            sizes.add(s.cacheBytes());
            rows.add(new ResultRow(s.policyName(), s.cacheBytes(), ResultRow.ALL, st.totalTouches(), st.totalHits(),
                    st.totalReadTouches(), st.totalReadHits()));
            for (int c : classIds) {
                rows.add(new ResultRow(s.policyName(), s.cacheBytes(), vocabulary.name(c), st.touches(c), st.hits(c),
                        st.readTouches(c), st.readHits(c)));
            }
        }
        return new Results(trace, policyFile, blockSize, totals, distinct, seconds, rows, List.copyOf(policies),
                List.copyOf(sizes), classNames, sims);
    }

    /** The row of a policy, size and class, or null. */
    public ResultRow row(String policy, long cacheBytes, String className) {
        for (ResultRow r : rows) {
            if (r.policy().equals(policy) && r.cacheBytes() == cacheBytes && r.className().equals(className)) {
                return r;
            }
        }
        return null;
    }
}
