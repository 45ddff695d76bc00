package dev.triage.hints.guest;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How a {@link GuestClassifier} reads a volume's current content: the server hands it a
 * function over its own backing store. Reads are absolute and random-access; the classifier
 * only asks for ranges inside the volume's size.
 */
@FunctionalInterface
public interface VolumeReader {

    /** Fills {@code dst} from its position to its limit with the volume's bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;
}
