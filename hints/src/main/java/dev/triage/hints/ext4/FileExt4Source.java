package dev.triage.hints.ext4;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An {@link Ext4Source} over an image file or a block device, read through a {@link
 * FileChannel}. The size of a block device (which the channel reports as 0) comes from
 * {@code /sys/class/block/NAME/size}.
 */
public final class FileExt4Source implements Ext4Source, AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long size;

    public FileExt4Source(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        long s = channel.size();
        if (s == 0) {
            s = blockDeviceSize(path);
        }
        this.size = s;
    }

    private static long blockDeviceSize(Path path) throws IOException {
        Path real = path.toRealPath();
        Path sys = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (!Files.isReadable(sys)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(sys).trim()) * 512;
        } catch (NumberFormatException e) {
            throw new IOException(sys + ": not a sector count", e);
        }
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        if (offset < 0 || offset > size - dst.remaining()) {
            throw new EOFException(path + ": read of " + dst.remaining() + " bytes at " + offset
                    + " is outside the " + size + "-byte source");
        }
        long at = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException(path + ": unexpected end at " + at);
            }
            at += n;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
