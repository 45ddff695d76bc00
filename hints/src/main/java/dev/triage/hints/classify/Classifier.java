package dev.triage.hints.classify;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.NameTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a request to its I/O class from its tag and from rules on its attributes, in the spirit
 * of Open CAS's ioclass rules. The rules are tried in order and the first that matches gives
 * the class; a request no rule matches keeps the class of its tag; a request with neither gets
 * the default class ({@code unclassified} unless the policy file says otherwise).
 *
 * <p>{@link #classify} allocates nothing. A classifier is not thread-safe when rules name
 * processes or volumes (it remembers answers per name id); give each reader thread its own via
 * {@link #copy()}.
 */
public final class Classifier {
    private final ClassVocabulary vocabulary;
    private final List<RuleSource> sources;
    private final Rule[] rules;
    private final int defaultClass;
    private final List<NameMatcher> processMatchers = new ArrayList<>();
    private final List<NameMatcher> volumeMatchers = new ArrayList<>();

    /** A rule as written: the expression, the class name and the line. */
    public record RuleSource(String when, String className, int line) {}

    /**
     * @throws RuleSyntaxException when an expression does not parse
     * @throws IllegalArgumentException when a class name is not valid
     */
    public Classifier(ClassVocabulary vocabulary, List<RuleSource> sources, String defaultClass) {
        this.vocabulary = vocabulary;
        this.sources = List.copyOf(sources);
        RuleParser parser = new RuleParser(vocabulary, processMatchers, volumeMatchers);
        this.rules = new Rule[sources.size()];
        for (int i = 0; i < rules.length; i++) {
            RuleSource s = sources.get(i);
            if (!ClassVocabulary.isValidName(s.className())) {
                throw new IllegalArgumentException("'" + s.className() + "' is not a class name ([a-z0-9_]+)");
            }
            rules[i] = new Rule(s.when(), parser.parseExpression(s.when()), vocabulary.intern(s.className()), s.line());
        }
        if (!ClassVocabulary.isValidName(defaultClass)) {
            throw new IllegalArgumentException("'" + defaultClass + "' is not a class name ([a-z0-9_]+)");
        }
        this.defaultClass = vocabulary.intern(defaultClass);
    }

    /** A classifier with no rules: the tag, else {@code unclassified}. */
    public static Classifier tagsOnly(ClassVocabulary vocabulary) {
        return new Classifier(vocabulary, List.of(), ClassVocabulary.UNCLASSIFIED);
    }

    /** An independent copy (for another thread). */
    public Classifier copy() {
        return new Classifier(vocabulary, sources, vocabulary.name(defaultClass));
    }

    /** Binds {@code process_name} and {@code volume} conditions to a reader's name tables. */
    public Classifier bind(NameTable processes, NameTable volumes) {
        for (NameMatcher m : processMatchers) {
            m.bind(processes);
        }
        for (NameMatcher m : volumeMatchers) {
            m.bind(volumes);
        }
        return this;
    }

    /** Sets and returns {@code r.ioClass}. Flushes get class {@code none}. */
    public int classify(BlockRequest r) {
        int c = classOf(r);
        r.ioClass = c;
        return c;
    }

    private int classOf(BlockRequest r) {
        for (Rule rule : rules) {
            if (rule.condition().test(r)) {
                return rule.classId();
            }
        }
        return r.tag >= 0 ? r.tag : defaultClass;
    }

    /** The rule that gives a request its class, or null when the tag or the default does. */
    public Rule explain(BlockRequest r) {
        for (Rule rule : rules) {
            if (rule.condition().test(r)) {
                return rule;
            }
        }
        return null;
    }

    public List<Rule> rules() {
        return List.of(rules);
    }

    public int defaultClass() {
        return defaultClass;
    }

    public ClassVocabulary vocabulary() {
        return vocabulary;
    }
}
