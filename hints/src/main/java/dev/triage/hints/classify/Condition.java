package dev.triage.hints.classify;

import dev.triage.hints.BlockRequest;

/** One test on a request's tag and attributes: a node of a classifier rule. */
@FunctionalInterface
public interface Condition {
    /** True when the request matches. Allocates nothing. */
    boolean test(BlockRequest r);

    default Condition and(Condition o) {
        Condition self = this;
        return r -> self.test(r) && o.test(r);
    }

    default Condition or(Condition o) {
        Condition self = this;
        return r -> self.test(r) || o.test(r);
    }

    default Condition negate() {
        Condition self = this;
        return r -> !self.test(r);
    }
}
