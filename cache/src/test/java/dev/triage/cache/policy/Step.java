package dev.triage.cache.policy;

/** One step of a test trace: a read or write touch of a block, or a discard. */
record Step(char op, long block, int ioClass) {
    static Step read(long block) {
        return new Step('R', block, 0);
    }

    static Step write(long block) {
        return new Step('W', block, 0);
    }

    static Step discard(long block) {
        return new Step('D', block, 0);
    }

    boolean touch() {
        return op != 'D';
    }
}
