package dev.triage.placement;

/**
 * The map of one thin volume: virtual block to physical block and class code, as a radix tree
 * of {@link MapNode}s of fan-out {@link PoolFormat#FANOUT} and a height just big enough for
 * the volume's size. Only mapped ranges have nodes; a node that becomes empty is removed and
 * its committed page address is handed to the caller's pending-free list.
 *
 * <p>Not thread-safe: the owning {@link Volume}'s lock guards it.
 */
final class VolumeMap {
    private static final long[] SPAN = new long[8];

    static {
        long s = 1;
        for (int i = 0; i < SPAN.length; i++) {
            SPAN[i] = s;
            s = s > Long.MAX_VALUE / PoolFormat.FANOUT ? Long.MAX_VALUE : s * PoolFormat.FANOUT;
        }
    }

    private int height;
    private MapNode root;
    private long nodes;
    private long mapped;
    /** Set when the root pointer or height changed (the catalogue must be rewritten). */
    boolean rootChanged;
    private MapNode lastLeaf;
    private final MapNode[] path = new MapNode[SPAN.length];

    VolumeMap(int height) {
        this.height = height;
    }

    /** Blocks covered by a node at {@code level}. */
    static long span(int level) {
        return SPAN[level + 1];
    }

    /** The height needed to address {@code blocks} virtual blocks (at least 1). */
    static int heightFor(long blocks) {
        int h = 1;
        while (span(h - 1) < blocks) {
            h++;
        }
        return h;
    }

    int height() {
        return height;
    }

    MapNode root() {
        return root;
    }

    long nodeCount() {
        return nodes;
    }

    long mappedBlocks() {
        return mapped;
    }

    /** Installs a root read from disk (open). */
    void load(MapNode r, long nodeCount, long mappedCount) {
        root = r;
        nodes = nodeCount;
        mapped = mappedCount;
    }

    /** The entry of a virtual block ({@link PoolFormat#entry}), 0 when unmapped. */
    long get(long vb) {
        MapNode leaf = lastLeaf;
        if (leaf == null || vb < leaf.firstBlock || vb >= leaf.firstBlock + PoolFormat.FANOUT) {
            leaf = findLeaf(vb);
            if (leaf == null) {
                return 0;
            }
            lastLeaf = leaf;
        }
        int i = (int) (vb - leaf.firstBlock);
        int p = leaf.phys[i];
        return p == 0 ? 0 : PoolFormat.entry(Integer.toUnsignedLong(p), leaf.cls[i]);
    }

    private MapNode findLeaf(long vb) {
        MapNode n = root;
        if (n == null || vb >= span(height - 1)) {
            return null;
        }
        while (n != null && n.level > 0) {
            n = n.children[(int) ((vb - n.firstBlock) / span(n.level - 1))];
        }
        return n;
    }

    /**
     * The end of the unmapped run that starts at {@code vb} as far as the tree shows without
     * looking at entries: the end of the missing subtree that would hold {@code vb}, or
     * {@code vb + 1} when its leaf exists. Lets block status skip holes in O(height).
     */
    long holeEnd(long vb) {
        MapNode n = root;
        if (n == null) {
            return Long.MAX_VALUE;
        }
        while (n.level > 0) {
            long s = span(n.level - 1);
            int i = (int) ((vb - n.firstBlock) / s);
            MapNode c = n.children[i];
            if (c == null) {
                return n.firstBlock + (i + 1) * s;
            }
            n = c;
        }
        return vb + 1;
    }

    /** How many nodes {@link #set} would create for {@code vb}. */
    int nodesNeeded(long vb) {
        if (root == null) {
            return height;
        }
        MapNode n = root;
        int need = 0;
        while (n.level > 0) {
            MapNode c = n.children[(int) ((vb - n.firstBlock) / span(n.level - 1))];
            if (c == null) {
                return need + n.level;
            }
            n = c;
        }
        return need;
    }

    /** Maps {@code vb}; returns the previous entry (0 when it was unmapped). */
    long set(long vb, long phys, int classCode) {
        if (root == null) {
            root = new MapNode(height - 1, 0);
            nodes++;
            rootChanged = true;
        }
        MapNode n = root;
        n.dirty = true;
        while (n.level > 0) {
            int i = (int) ((vb - n.firstBlock) / span(n.level - 1));
            MapNode c = n.children[i];
            if (c == null) {
                c = new MapNode(n.level - 1, n.firstBlock + i * span(n.level - 1));
                n.children[i] = c;
                n.count++;
                nodes++;
            }
            c.dirty = true;
            n = c;
        }
        int i = (int) (vb - n.firstBlock);
        int old = n.phys[i];
        long prev = old == 0 ? 0 : PoolFormat.entry(Integer.toUnsignedLong(old), n.cls[i]);
        if (old == 0) {
            n.count++;
            mapped++;
        }
        n.phys[i] = (int) phys;
        n.cls[i] = (byte) classCode;
        lastLeaf = n;
        return prev;
    }

    /** Changes the class code of a mapped block (no-op when unmapped). */
    void setClass(long vb, int classCode) {
        long e = get(vb);
        if (e != 0 && PoolFormat.classCode(e) != classCode) {
            set(vb, PoolFormat.phys(e), classCode);
        }
    }

    /**
     * Unmaps {@code vb}; returns the previous entry (0 when unmapped). Nodes that become empty
     * are removed and their committed addresses added to {@code freedPages}.
     */
    long remove(long vb, LongList freedPages) {
        MapNode leaf = findLeaf(vb);
        if (leaf == null) {
            return 0;
        }
        int i = (int) (vb - leaf.firstBlock);
        int old = leaf.phys[i];
        if (old == 0) {
            return 0;
        }
        long prev = PoolFormat.entry(Integer.toUnsignedLong(old), leaf.cls[i]);
        leaf.phys[i] = 0;
        leaf.cls[i] = 0;
        leaf.count--;
        mapped--;
        removePath(vb, freedPages);
        return prev;
    }

    /** Marks the path to vb dirty and prunes empty nodes bottom-up. */
    private void removePath(long vb, LongList freedPages) {
        MapNode n = root;
        int d = 0;
        while (true) {
            path[d++] = n;
            n.dirty = true;
            if (n.level == 0) {
                break;
            }
            n = n.children[(int) ((vb - n.firstBlock) / span(n.level - 1))];
        }
        for (int k = d - 1; k >= 0; k--) {
            MapNode x = path[k];
            if (x.count > 0) {
                break;
            }
            if (x.addr != 0) {
                freedPages.add(x.addr);
            }
            nodes--;
            if (x == lastLeaf) {
                lastLeaf = null;
            }
            if (k == 0) {
                root = null;
                rootChanged = true;
            } else {
                MapNode parent = path[k - 1];
                parent.children[(int) ((vb - parent.firstBlock) / span(parent.level - 1))] = null;
                parent.count--;
            }
        }
    }

    /** Grows the height so that {@code blocks} virtual blocks are addressable. */
    void growTo(long blocks) {
        int h = heightFor(blocks);
        while (height < h) {
            if (root != null) {
                MapNode r = new MapNode(height, 0);
                r.children[0] = root;
                r.count = 1;
                r.dirty = true;
                root = r;
                nodes++;
            }
            height++;
            rootChanged = true;
        }
    }

    /** Calls {@code v} for every mapped block with vb in [from, to), in order. */
    void forEachMapped(long from, long to, MappedVisitor v) {
        if (root != null) {
            visit(root, from, to, v);
        }
    }

    private static void visit(MapNode n, long from, long to, MappedVisitor v) {
        if (n.level == 0) {
            long lo = Math.max(from, n.firstBlock);
            long hi = Math.min(to, n.firstBlock + PoolFormat.FANOUT);
            for (long vb = lo; vb < hi; vb++) {
                int i = (int) (vb - n.firstBlock);
                if (n.phys[i] != 0) {
                    v.mapped(vb, Integer.toUnsignedLong(n.phys[i]), n.cls[i] & 0xff);
                }
            }
            return;
        }
        long s = span(n.level - 1);
        for (int i = 0; i < PoolFormat.FANOUT; i++) {
            MapNode c = n.children[i];
            if (c != null) {
                long cf = n.firstBlock + i * s;
                if (cf < to && cf + s > from) {
                    visit(c, from, to, v);
                }
            }
        }
    }

    /** Calls {@code v} for every node (for freeing a deleted volume's pages). */
    void forEachNode(java.util.function.Consumer<MapNode> v) {
        if (root != null) {
            walk(root, v);
        }
    }

    private static void walk(MapNode n, java.util.function.Consumer<MapNode> v) {
        v.accept(n);
        if (n.children != null) {
            for (MapNode c : n.children) {
                if (c != null) {
                    walk(c, v);
                }
            }
        }
    }

    /** Heap bytes of the map's nodes. */
    long heapBytes() {
        long[] sum = new long[1];
        forEachNode(n -> sum[0] += n.heapBytes());
        return sum[0] + 64;
    }

    /** A visitor of mapped blocks. */
    @FunctionalInterface
    interface MappedVisitor {
        void mapped(long vb, long phys, int classCode);
    }
}
