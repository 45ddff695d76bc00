package dev.triage.hints.trace;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The compressions a trace may come in: told apart by magic bytes when reading, by file name when writing. */
enum Compression {
    NONE,
    GZIP,
    ZSTD;

    private static final int BUFFER = 1 << 16;

    /** Peeks at the first bytes of {@code in} (which must support mark) and says how it is compressed. */
    static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = new byte[4];
        int n = 0;
        while (n < 4) {
            int r = in.read(magic, n, 4 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.reset();
        if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (n == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    /** The compression a file name asks for: {@code .gz}, {@code .zst} or {@code .zstd}, else none. */
    static Compression ofFileName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".gz")) {
            return GZIP;
        }
        if (n.endsWith(".zst") || n.endsWith(".zstd")) {
            return ZSTD;
        }
        return NONE;
    }

    InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
        };
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, BUFFER);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, 3);
        };
    }
}
