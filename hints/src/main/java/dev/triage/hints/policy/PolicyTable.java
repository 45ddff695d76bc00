package dev.triage.hints.policy;

import dev.triage.hints.ClassVocabulary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every class's {@link ClassPolicy}, looked up by class id. A class the table does not name
 * gets the table's default policy (under its own name).
 */
public final class PolicyTable {
    private final ClassVocabulary vocabulary;
    private final Map<String, ClassPolicy> named;
    private final ClassPolicy defaults;
    private volatile ClassPolicy[] byId = new ClassPolicy[0];

    public PolicyTable(ClassVocabulary vocabulary, Map<String, ClassPolicy> named, ClassPolicy defaults) {
        this.vocabulary = vocabulary;
        this.named = new LinkedHashMap<>(named);
        this.defaults = defaults;
        for (String name : named.keySet()) {
            vocabulary.intern(name);
        }
    }

    /** A table that gives every class the same default policy (plain caching). */
    public static PolicyTable uniform(ClassVocabulary vocabulary) {
        return new PolicyTable(vocabulary, Map.of(), ClassPolicy.defaultFor("*"));
    }

    public ClassVocabulary vocabulary() {
        return vocabulary;
    }

    /** The policy of a class id. Cheap: an array read once the id has been seen. */
    public ClassPolicy forClass(int classId) {
        ClassPolicy[] a = byId;
        if (classId >= 0 && classId < a.length) {
            ClassPolicy p = a[classId];
            if (p != null) {
                return p;
            }
        }
        return resolve(classId);
    }

    private synchronized ClassPolicy resolve(int classId) {
        if (classId < 0) {
            return defaults;
        }
        ClassPolicy[] a = byId;
        if (classId >= a.length) {
            a = Arrays.copyOf(a, Math.max(classId + 1, vocabulary.size()));
        } else {
            a = a.clone();
        }
        String name = vocabulary.name(classId);
        ClassPolicy p = named.get(name);
        if (p == null) {
            p = new ClassPolicy(name, defaults.priority(), defaults.admit(), defaults.maxShare(),
                    defaults.pinned(), defaults.zone(), defaults.writeMode());
        }
        a[classId] = p;
        byId = a;
        return p;
    }

    /** The classes the file names, in file order. */
    public Map<String, ClassPolicy> named() {
        return named;
    }

    /** The policy of classes the file does not name. */
    public ClassPolicy defaults() {
        return defaults;
    }
}
