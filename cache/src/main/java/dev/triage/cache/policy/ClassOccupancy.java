package dev.triage.cache.policy;

/** A policy that can tell how many cached blocks each I/O class holds (for per-class stats). */
public interface ClassOccupancy {
    /** Cached blocks that belong to the class now (0 for a class never seen). */
    long occupancy(int ioClass);
}
