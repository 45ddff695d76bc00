package dev.triage.hints.classify;

/**
 * One classifier rule: requests matching {@code when} get class {@code classId}.
 *
 * @param when the expression as written (for messages and {@code --explain})
 * @param condition the compiled expression
 * @param classId the class given (a vocabulary id)
 * @param line the line of the policy file that holds the rule, or 0
 */
public record Rule(String when, Condition condition, int classId, int line) {}
