package dev.triage.hints.classify;

import dev.triage.hints.NameTable;
import java.util.Arrays;

/**
 * Tests a name id (a process or a volume of a reader's {@link NameTable}) against an exact name
 * or a prefix. The answer for each id is computed once and remembered, so the test allocates
 * nothing after the first sight of an id.
 */
final class NameMatcher {
    private final String pattern;
    private final boolean prefix;
    private NameTable names;
    private byte[] answers = new byte[0]; // 0 unknown, 1 match, 2 no match

    NameMatcher(String pattern, boolean prefix) {
        this.pattern = pattern;
        this.prefix = prefix;
    }

    void bind(NameTable table) {
        this.names = table;
        this.answers = new byte[0];
    }

    boolean test(int id) {
        if (id < 0 || names == null) {
            return false;
        }
        byte[] a = answers;
        if (id < a.length && a[id] != 0) {
            return a[id] == 1;
        }
        return compute(id);
    }

    private boolean compute(int id) {
        if (id >= answers.length) {
            answers = Arrays.copyOf(answers, Math.max(id + 1, answers.length * 2));
        }
        String name = names.name(id);
        boolean match = prefix ? name.startsWith(pattern) : name.equals(pattern);
        answers[id] = (byte) (match ? 1 : 2);
        return match;
    }
}
