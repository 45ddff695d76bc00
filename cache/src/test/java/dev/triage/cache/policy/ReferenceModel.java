package dev.triage.cache.policy;

import java.util.Set;

/** A deliberately simple, slow implementation of a policy, to check a fast one against. */
interface ReferenceModel {
    /** Touch at position {@code i} of {@code steps}; true on a hit. */
    boolean access(int i, Step s);

    void remove(long block);

    Set<Long> contents();
}
