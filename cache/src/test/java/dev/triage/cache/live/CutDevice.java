package dev.triage.cache.live;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A device that loses power at a chosen operation: the devices of one test share a {@link Power}
 * that counts their operations; from the chosen one on, every operation fails and changes
 * nothing, as if the machine stopped there. The test then crashes the underlying faulty devices.
 */
final class CutDevice implements BlockDevice {

    /** The power of a set of devices: on until the {@code n}th operation from {@link #cutAfter}. */
    static final class Power {
        private long left = Long.MAX_VALUE;
        private boolean cut;
        long ops;

        void cutAfter(long n) {
            left = n;
            cut = false;
        }

        void restore() {
            left = Long.MAX_VALUE;
            cut = false;
        }

        boolean isCut() {
            return cut;
        }

        void tick() throws IOException {
            ops++;
            if (cut || left-- <= 0) {
                cut = true;
                throw new PowerCut();
            }
        }
    }

    /** The failure a device reports once the power is cut. */
    static final class PowerCut extends IOException {
        PowerCut() {
            super("power cut", null);
        }
    }

    private final BlockDevice dev;
    private final Power power;

    CutDevice(BlockDevice dev, Power power) {
        this.dev = dev;
        this.power = power;
    }

    @Override
    public long size() {
        return dev.size();
    }

    @Override
    public int alignment() {
        return dev.alignment();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        power.tick();
        dev.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        power.tick();
        dev.write(offset, src, fua);
    }

    @Override
    public void flush() throws IOException {
        power.tick();
        dev.flush();
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        power.tick();
        dev.discard(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        power.tick();
        dev.writeZeroes(offset, length);
    }

    @Override
    public String describe() {
        return "cut(" + dev.describe() + ")";
    }

    @Override
    public void close() throws IOException {
        dev.close();
    }
}
