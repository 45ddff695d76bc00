package dev.triage.hints.policy;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.classify.Classifier;
import java.util.List;

/**
 * Everything a policy file says: the classifier (rules and default class), every class's
 * policy, and the placement zones.
 *
 * @param source where it came from (a path, or {@code builtin:dss.toml})
 */
public record PolicyConfig(String source, ClassVocabulary vocabulary, Classifier classifier, PolicyTable table,
        List<ZoneSpec> zones) {}
