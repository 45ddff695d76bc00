package dev.triage.placement;

/**
 * One node of a volume's radix map, in memory: a leaf maps {@link PoolFormat#FANOUT} virtual
 * blocks to physical blocks (an unsigned int each) with a class code (a byte each); an
 * internal node holds {@link PoolFormat#FANOUT} children. {@code addr} is the metadata block
 * the node was last committed to (0 when never); {@code dirty} is set on the node and all its
 * ancestors when anything under it changed since the last commit.
 */
final class MapNode {
    final int level;
    final long firstBlock;
    long addr;
    boolean dirty;
    int count;
    final int[] phys;
    final byte[] cls;
    final MapNode[] children;

    MapNode(int level, long firstBlock) {
        this.level = level;
        this.firstBlock = firstBlock;
        if (level == 0) {
            phys = new int[PoolFormat.FANOUT];
            cls = new byte[PoolFormat.FANOUT];
            children = null;
        } else {
            phys = null;
            cls = null;
            children = new MapNode[PoolFormat.FANOUT];
        }
    }

    boolean leaf() {
        return level == 0;
    }

    /** Bytes of heap this node takes (object headers and arrays, compressed oops). */
    long heapBytes() {
        long obj = 48;
        if (leaf()) {
            return obj + 16 + 4L * PoolFormat.FANOUT + 16 + PoolFormat.FANOUT;
        }
        return obj + 16 + 4L * PoolFormat.FANOUT;
    }
}
