package dev.triage.placement;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool catalogue: the byte stream (in a chain of checksummed catalogue pages) that names
 * the pool's classes and volumes, gives each volume's map root, and records the accounting
 * the checker compares with the maps. Layout in docs/on-disk-layout.md.
 */
record Catalogue(int nextVolumeId, List<String> classes, long[] zoneMapped, List<Entry> volumes) {

    static final int FORMAT = 1;

    /** One volume's catalogue record. */
    record Entry(int id, String name, long sizeBytes, long root, int height, long mappedBlocks, long nodes) {
    }

    byte[] encode() {
        int n = 4 + 4 + 4 + 4 + 8 * zoneMapped.length + 4;
        for (String c : classes) {
            n += 1 + c.getBytes(StandardCharsets.UTF_8).length;
        }
        for (Entry v : volumes) {
            n += 4 + 1 + v.name().getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 4 + 8 + 8;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FORMAT);
        b.putInt(nextVolumeId);
        b.putInt(classes.size());
        for (String c : classes) {
            byte[] s = c.getBytes(StandardCharsets.UTF_8);
            b.put((byte) s.length).put(s);
        }
        b.putInt(zoneMapped.length);
        for (long z : zoneMapped) {
            b.putLong(z);
        }
        b.putInt(volumes.size());
        for (Entry v : volumes) {
            byte[] s = v.name().getBytes(StandardCharsets.UTF_8);
            b.putInt(v.id()).put((byte) s.length).put(s);
            b.putLong(v.sizeBytes()).putLong(v.root()).putInt(v.height()).putLong(v.mappedBlocks()).putLong(v.nodes());
        }
        return b.array();
    }

    /** Decodes; throws IllegalArgumentException naming the field that is wrong. */
    static Catalogue decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int format = b.getInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("catalogue format " + format + " is not " + FORMAT);
            }
            int next = b.getInt();
            int nc = b.getInt();
            if (nc < 0 || nc > PoolFormat.MAX_CLASSES) {
                throw new IllegalArgumentException("catalogue class count " + nc + " out of range");
            }
            List<String> classes = new ArrayList<>(nc);
            for (int i = 0; i < nc; i++) {
                byte[] s = new byte[b.get() & 0xff];
                b.get(s);
                classes.add(new String(s, StandardCharsets.UTF_8));
            }
            int nz = b.getInt();
            if (nz < 0 || nz > PoolFormat.MAX_ZONES) {
                throw new IllegalArgumentException("catalogue zone count " + nz + " out of range");
            }
            long[] zm = new long[nz];
            for (int i = 0; i < nz; i++) {
                zm[i] = b.getLong();
            }
            int nv = b.getInt();
            if (nv < 0 || nv > bytes.length / 40) {
                throw new IllegalArgumentException("catalogue volume count " + nv + " out of range");
            }
            List<Entry> vols = new ArrayList<>(nv);
            for (int i = 0; i < nv; i++) {
                int id = b.getInt();
                byte[] s = new byte[b.get() & 0xff];
                b.get(s);
                vols.add(new Entry(id, new String(s, StandardCharsets.UTF_8), b.getLong(), b.getLong(), b.getInt(),
                        b.getLong(), b.getLong()));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("catalogue has " + b.remaining() + " trailing bytes");
            }
            return new Catalogue(next, List.copyOf(classes), zm, List.copyOf(vols));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("catalogue is truncated at byte " + b.position());
        }
    }
}
