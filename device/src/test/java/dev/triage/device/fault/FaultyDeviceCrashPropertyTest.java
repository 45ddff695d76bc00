package dev.triage.device.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.DeviceOp;
import dev.triage.device.DeviceOpScript;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * After any crash, every atomic unit of a {@link FaultyDevice} holds either what it held at
 * the last flush (or its last FUA write since) or one of the values written to it after that —
 * never anything else; flushed data always survives.
 */
class FaultyDeviceCrashPropertyTest {

    private static final int UNIT = 512;
    private static final int UNITS = 128;

    @Provide
    Arbitrary<List<DeviceOpScript.Step>> steps() {
        return DeviceOpScript.steps(UNITS, 16, 40);
    }

    /** Per unit: the value a crash falls back to, and the values written since. */
    private static final class UnitModel {
        final byte[][] base = new byte[UNITS][UNIT];
        final byte[][] live = new byte[UNITS][UNIT];
        final List<List<byte[]>> since = new ArrayList<>();

        UnitModel() {
            for (int i = 0; i < UNITS; i++) {
                since.add(new ArrayList<>());
            }
        }

        void write(int unit, byte[] value, boolean fua) {
            live[unit] = value;
            if (fua) {
                base[unit] = value;
                since.get(unit).clear();
            } else {
                since.get(unit).add(value);
            }
        }

        void flush() {
            for (int i = 0; i < UNITS; i++) {
                base[i] = live[i];
                since.get(i).clear();
            }
        }

        boolean allowed(int unit, byte[] got) {
            if (Arrays.equals(base[unit], got)) {
                return true;
            }
            for (byte[] v : since.get(unit)) {
                if (Arrays.equals(v, got)) {
                    return true;
                }
            }
            return false;
        }
    }

    @Property(tries = 200)
    void crashKeepsFlushedDataAndOnlyWhatWasWritten(@ForAll("steps") List<DeviceOpScript.Step> steps,
            @ForAll long crashSeed) throws IOException {
        try (FaultyDevice dev = new FaultyDevice((long) UNITS * UNIT)) {
            UnitModel model = new UnitModel();
            for (DeviceOpScript.Step s : steps) {
                long offset = (long) s.block() * UNIT;
                int len = s.blocks() * UNIT;
                switch (s.op()) {
                    case WRITE -> {
                        byte[] data = new byte[len];
                        new Random(s.seed()).nextBytes(data);
                        dev.write(offset, ByteBuffer.wrap(data), s.fua());
                        for (int u = 0; u < s.blocks(); u++) {
                            model.write(s.block() + u, Arrays.copyOfRange(data, u * UNIT, (u + 1) * UNIT), s.fua());
                        }
                    }
                    case DISCARD, WRITE_ZEROES -> {
                        if (s.op() == DeviceOp.DISCARD) {
                            dev.discard(offset, len);
                        } else {
                            dev.writeZeroes(offset, len);
                        }
                        for (int u = 0; u < s.blocks(); u++) {
                            model.write(s.block() + u, new byte[UNIT], false);
                        }
                    }
                    case FLUSH -> {
                        dev.flush();
                        model.flush();
                    }
                    case READ -> dev.read(offset, ByteBuffer.allocate(len));
                }
            }
            CrashReport report = dev.crash(crashSeed);
            assertEquals(0, dev.unflushed());
            byte[] image = new byte[UNITS * UNIT];
            dev.read(0, ByteBuffer.wrap(image));
            byte[] durable = new byte[UNITS * UNIT];
            dev.readDurable(0, ByteBuffer.wrap(durable));
            assertArrayEquals(durable, image, "after a crash the live image is the durable one");
            for (int u = 0; u < UNITS; u++) {
                byte[] got = Arrays.copyOfRange(image, u * UNIT, (u + 1) * UNIT);
                int unit = u;
                assertTrue(model.allowed(u, got), () -> "unit " + unit + " holds a value never written to it since"
                        + " the last flush (" + report + ")");
            }
        }
    }
}
