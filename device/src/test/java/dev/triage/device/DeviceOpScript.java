package dev.triage.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random operation sequences for devices, and a runner that applies them to a device and to a
 * reference model (a byte[] image, where discard and write zeroes read as zeros) and compares
 * every read and, at the end, the whole image.
 */
public final class DeviceOpScript {

    /** How the caller's buffer is made: aligned direct, heap, or direct but misaligned. */
    public enum BufferKind { ALIGNED, HEAP, MISALIGNED }

    /** One step: {@code op} on {@code blocks} blocks from block {@code block}. */
    public record Step(DeviceOp op, int block, int blocks, long seed, boolean fua, BufferKind buffer) {
    }

    private DeviceOpScript() {
    }

    /** Steps over a device of {@code totalBlocks} blocks, each touching at most {@code maxBlocks}. */
    public static Arbitrary<List<Step>> steps(int totalBlocks, int maxBlocks, int maxSteps) {
        Arbitrary<DeviceOp> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(DeviceOp.WRITE)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(DeviceOp.READ)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(DeviceOp.DISCARD)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(DeviceOp.WRITE_ZEROES)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(DeviceOp.FLUSH)));
        Arbitrary<Step> step = Combinators.combine(op, Arbitraries.integers().between(0, totalBlocks - 1),
                Arbitraries.integers().between(1, maxBlocks), Arbitraries.longs(), Arbitraries.of(true, false),
                Arbitraries.of(BufferKind.class))
                .as((o, b, n, s, f, k) -> new Step(o, b, Math.min(n, totalBlocks - b), s, f, k));
        return step.list().ofMinSize(1).ofMaxSize(maxSteps);
    }

    /** A buffer of {@code len} bytes of the given kind, positioned at 0 with limit {@code len}. */
    public static ByteBuffer buffer(BufferKind kind, int len, int alignment) {
        return switch (kind) {
            case ALIGNED -> Buffers.allocateAligned(len, alignment);
            case HEAP -> ByteBuffer.allocate(len);
            case MISALIGNED -> Buffers.allocateAligned(len + 8, alignment).position(8).slice();
        };
    }

    /** Runs {@code steps} on {@code dev} and a byte[] model; asserts every read and the final image. */
    public static void run(BlockDevice dev, List<Step> steps) throws IOException {
        int unit = dev.alignment();
        byte[] model = new byte[(int) dev.size()];
        for (Step s : steps) {
            long offset = (long) s.block() * unit;
            int len = s.blocks() * unit;
            switch (s.op()) {
                case WRITE -> {
                    byte[] data = new byte[len];
                    new Random(s.seed()).nextBytes(data);
                    ByteBuffer b = buffer(s.buffer(), len, unit);
                    b.put(0, data);
                    dev.write(offset, b, s.fua());
                    assertEquals(len, b.position(), "write consumes the buffer");
                    System.arraycopy(data, 0, model, (int) offset, len);
                }
                case READ -> {
                    ByteBuffer b = buffer(s.buffer(), len, unit);
                    dev.read(offset, b);
                    assertEquals(len, b.position(), "read fills the buffer");
                    byte[] got = new byte[len];
                    b.get(0, got);
                    byte[] want = new byte[len];
                    System.arraycopy(model, (int) offset, want, 0, len);
                    assertArrayEquals(want, got, () -> "read at " + offset + " of " + len + " after " + s);
                }
                case DISCARD -> {
                    dev.discard(offset, len);
                    java.util.Arrays.fill(model, (int) offset, (int) offset + len, (byte) 0);
                }
                case WRITE_ZEROES -> {
                    dev.writeZeroes(offset, len);
                    java.util.Arrays.fill(model, (int) offset, (int) offset + len, (byte) 0);
                }
                case FLUSH -> dev.flush();
            }
        }
        ByteBuffer all = Buffers.allocateAligned(model.length, Math.max(unit, 512));
        dev.read(0, all);
        byte[] got = new byte[model.length];
        all.get(0, got);
        assertArrayEquals(model, got, "the whole image after the sequence");
    }
}
