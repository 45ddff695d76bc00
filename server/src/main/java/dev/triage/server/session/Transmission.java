package dev.triage.server.session;

import dev.triage.server.backend.ExportBackend;
import dev.triage.server.backend.MetaContext;
import dev.triage.server.metrics.ExportMetrics;
import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.ReplyEncoder;
import dev.triage.server.protocol.Request;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmission phase of one connection. The reader (the connection's own thread) decodes
 * requests and their payloads into free {@link Slot}s; workers (virtual threads, one per slot)
 * run them against the backend; the replier writes replies in completion order. So a
 * connection has up to {@code slots} requests in flight and reading never waits for a reply
 * to be written. Nothing is allocated per request.
 *
 * <p>Bad input is answered as the spec says: EINVAL for unknown commands and flags, misaligned
 * or oversize requests; EINVAL/ENOSPC for ranges past the end; EPERM for writes to read-only
 * exports. A wrong magic or a truncated request ends the connection after every request read
 * before it has been answered.
 */
final class Transmission {
    private static final Logger log = LoggerFactory.getLogger(Transmission.class);

    private static final byte[] MSG_EIO = bytes("I/O error in the backend");
    private static final byte[] MSG_INVALID = bytes("invalid request");
    private static final byte[] MSG_RANGE = bytes("request past the end of the export");
    private static final byte[] MSG_ALIGN = bytes("request not aligned to the minimum block size");
    private static final byte[] MSG_TOO_BIG = bytes("request larger than the maximum payload");
    private static final byte[] MSG_RO = bytes("export is read-only");
    private static final byte[] MSG_FLAGS = bytes("unknown or unnegotiated command flags");
    private static final byte[] MSG_COMMAND = bytes("unknown command");
    private static final byte[] MSG_NO_CONTEXT = bytes("no metadata context negotiated");
    private static final byte[] MSG_NOT_FAST = bytes("zeroing is not faster than writing here");

    /** Payloads over the maximum but up to this are read and dropped (EINVAL); larger ones end the connection. */
    static final long SKIP_LIMIT = 64L << 20;

    private final Transport t;
    private final Negotiated n;
    private final ExportBackend be;
    private final ExportMetrics metrics;
    private final String peer;
    private final boolean ext;
    private final int slots;
    private final Thread.Builder threads;
    /** Worker threads; 0 = the reader runs each request itself and only replies are handed off. */
    private final int workers;
    private final BlockingQueue<Slot> free;
    private final BlockingQueue<Slot> work;
    private final BlockingQueue<Slot> replies;
    private final Slot poison = new Slot();
    private final ByteBuffer replyHeader = ByteBuffer.allocateDirect(256);
    private final ByteBuffer extentBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Request req = new Request();
    private volatile boolean dead;
    /** Held while a reply is written (by the replier, or by the reader/worker that finished it). */
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();
    /** The slot the reader holds and has not handed on (returned if the reader fails). */
    private Slot held;
    private final java.util.concurrent.atomic.AtomicLong internalErrors;

    Transmission(Transport t, Negotiated n, ExportMetrics metrics, int slots, int workers, Thread.Builder threads,
            String peer, java.util.concurrent.atomic.AtomicLong internalErrors) {
        this.threads = threads;
        this.workers = workers;
        this.internalErrors = internalErrors;
        this.t = t;
        this.n = n;
        this.be = n.export().backend();
        this.metrics = metrics;
        this.peer = peer;
        this.ext = n.extended();
        this.slots = slots;
        this.free = new ArrayBlockingQueue<>(slots);
        this.work = new ArrayBlockingQueue<>(slots + 1);
        this.replies = new ArrayBlockingQueue<>(slots + 1);
        for (int i = 0; i < slots; i++) {
            free.add(new Slot());
        }
    }

    /** Serves requests until DISC, EOF or a violation; returns after every reply is written. */
    void run() throws InterruptedException, Handshake.Violation {
        Thread replier = threads.name("nbd-replier " + peer).start(this::replyLoop);
        Thread[] workerThreads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            workerThreads[i] = threads.name("nbd-worker " + peer).start(this::workLoop);
        }
        try {
            readLoop();
        } catch (Handshake.Violation v) {
            throw v;
        } catch (IOException e) {
            if (!dead) {
                log.info("{}: connection ended: {}", peer, e.getMessage());
            }
        } finally {
            if (held != null) {
                free.put(held);
                held = null;
            }
            // Wait until every slot is back: all requests read have been answered.
            for (int i = 0; i < slots; i++) {
                free.take();
            }
            for (int i = 0; i < workers; i++) {
                work.put(poison);
            }
            replies.put(poison);
            for (Thread w : workerThreads) {
                w.join();
            }
            replier.join();
        }
    }

    private void readLoop() throws IOException, InterruptedException {
        BufferedInput input = new BufferedInput(t, 256 * 1024);
        int headerSize = Request.headerSize(ext);
        while (!dead) {
            Slot s = free.take();
            held = s;
            if (!input.fill(headerSize, true)) {
                log.debug("{}: client closed the connection", peer);
                return;
            }
            ByteBuffer hb = input.buffer();
            if (!req.decode(hb, ext)) {
                throw new Handshake.Violation("bad request magic 0x" + Integer.toHexString(hb.getInt(hb.position())));
            }
            input.consume(headerSize);
            s.flags = req.flags;
            s.type = req.type;
            s.cookie = req.cookie;
            s.offset = req.offset;
            s.length = req.length;
            s.startNanos = System.nanoTime();
            s.error = 0;
            s.ioClass = (s.flags & Nbd.CMD_FLAG_X_TRIAGE_CLASS_MASK) >>> Nbd.CMD_FLAG_X_TRIAGE_CLASS_SHIFT;
            s.ioClass = n.hints() && s.ioClass != 0 ? s.ioClass - 1 : ExportBackend.NO_CLASS;

            // A payload follows WRITE (and, with extended headers, any request with PAYLOAD_LEN).
            boolean hasPayload = s.type == Nbd.CMD_WRITE || (ext && (s.flags & Nbd.CMD_FLAG_PAYLOAD_LEN) != 0);
            if (hasPayload) {
                if (s.length > SKIP_LIMIT) {
                    // Cannot resynchronise without reading it all: answer, then disconnect.
                    fail(s, Nbd.EINVAL, MSG_TOO_BIG);
                    s.disconnect = true;
                    held = null;
                    reply(s);
                    throw new Handshake.Violation("payload of " + s.length + " bytes is over the limit");
                }
                if (s.length > be.maxBlock() || s.type != Nbd.CMD_WRITE) {
                    input.skip(s.length);
                    fail(s, Nbd.EINVAL, s.type != Nbd.CMD_WRITE ? MSG_INVALID : MSG_TOO_BIG);
                    held = null;
                    reply(s);
                    continue;
                }
                ByteBuffer b = s.buffer((int) s.length);
                try {
                    input.readFully(b);
                } catch (EOFException e) {
                    throw new EOFException("client left in the middle of a " + s.length + "-byte write; it was dropped");
                }
                b.flip();
            }
            if (s.type == Nbd.CMD_DISC) {
                log.debug("{}: disconnect requested", peer);
                held = null;
                free.put(s);
                return;
            }
            if (validate(s)) {
                held = null;
                if (workers == 0) {
                    execute(s);
                    reply(s);
                } else {
                    work.put(s);
                }
            } else {
                held = null;
                reply(s);
            }
        }
    }

    /** Checks a request; false (with the error set) when it must not run. */
    private boolean validate(Slot s) {
        int allowed = Nbd.CMD_FLAG_FUA;
        if (ext) {
            allowed |= Nbd.CMD_FLAG_PAYLOAD_LEN;
        }
        if (n.hints()) {
            allowed |= Nbd.CMD_FLAG_X_TRIAGE_CLASS_MASK;
        }
        boolean isWrite = false;
        boolean rangeCheck = true;
        switch (s.type) {
            case Nbd.CMD_READ -> {
                if (n.structured()) {
                    allowed |= Nbd.CMD_FLAG_DF;
                }
            }
            case Nbd.CMD_WRITE -> isWrite = true;
            case Nbd.CMD_FLUSH -> rangeCheck = false;
            case Nbd.CMD_TRIM -> isWrite = true;
            case Nbd.CMD_CACHE -> {
                // prefetch hint
            }
            case Nbd.CMD_WRITE_ZEROES -> {
                isWrite = true;
                allowed |= Nbd.CMD_FLAG_NO_HOLE | Nbd.CMD_FLAG_FAST_ZERO;
            }
            case Nbd.CMD_BLOCK_STATUS -> allowed |= Nbd.CMD_FLAG_REQ_ONE;
            case Nbd.CMD_X_TRIAGE_SET_CLASS -> {
                if (!n.hints()) {
                    return fail(s, Nbd.EINVAL, MSG_COMMAND);
                }
            }
            default -> {
                return fail(s, Nbd.EINVAL, MSG_COMMAND);
            }
        }
        if ((s.flags & ~allowed) != 0) {
            return fail(s, Nbd.EINVAL, MSG_FLAGS);
        }
        if (isWrite && be.readOnly()) {
            return fail(s, Nbd.EPERM, MSG_RO);
        }
        if (!rangeCheck) {
            return true;
        }
        long size = be.size();
        if (s.offset < 0 || s.length < 0 || s.offset > size || s.length > size - s.offset) {
            boolean enospc = s.type == Nbd.CMD_WRITE || s.type == Nbd.CMD_WRITE_ZEROES;
            return fail(s, enospc ? Nbd.ENOSPC : Nbd.EINVAL, MSG_RANGE);
        }
        int min = be.minBlock();
        if (min > 1 && ((s.offset & (min - 1)) != 0 || (s.length & (min - 1)) != 0)) {
            return fail(s, Nbd.EINVAL, MSG_ALIGN);
        }
        if ((s.type == Nbd.CMD_READ) && s.length > be.maxBlock()) {
            return fail(s, Nbd.EINVAL, MSG_TOO_BIG);
        }
        if (s.type == Nbd.CMD_BLOCK_STATUS) {
            if (!n.structured() || n.contexts().length == 0) {
                return fail(s, Nbd.EINVAL, MSG_NO_CONTEXT);
            }
            if (s.length == 0) {
                return fail(s, Nbd.EINVAL, MSG_INVALID);
            }
        }
        if (s.type == Nbd.CMD_WRITE_ZEROES && (s.flags & Nbd.CMD_FLAG_FAST_ZERO) != 0 && !be.canFastZero()) {
            return fail(s, Nbd.ENOTSUP, MSG_NOT_FAST);
        }
        return true;
    }

    private static boolean fail(Slot s, int error, byte[] message) {
        s.error = error;
        s.errorMessage = message;
        return false;
    }

    private void workLoop() {
        try {
            while (true) {
                Slot s = work.take();
                if (s == poison) {
                    return;
                }
                execute(s);
                reply(s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Slot s) {
        boolean fua = (s.flags & Nbd.CMD_FLAG_FUA) != 0;
        try {
            switch (s.type) {
                case Nbd.CMD_READ -> {
                    ByteBuffer b = s.buffer((int) s.length);
                    be.read(s.offset, b, s.ioClass);
                    b.flip();
                }
                case Nbd.CMD_WRITE -> be.write(s.offset, s.data, fua, s.ioClass);
                case Nbd.CMD_FLUSH -> be.flush();
                case Nbd.CMD_TRIM -> {
                    be.trim(s.offset, s.length);
                    if (fua) {
                        be.flush();
                    }
                }
                case Nbd.CMD_CACHE -> be.cache(s.offset, s.length, s.ioClass);
                case Nbd.CMD_WRITE_ZEROES -> be.writeZeroes(s.offset, s.length,
                        (s.flags & Nbd.CMD_FLAG_NO_HOLE) != 0, fua, s.ioClass);
                case Nbd.CMD_BLOCK_STATUS -> blockStatus(s);
                case Nbd.CMD_X_TRIAGE_SET_CLASS -> be.classify(s.offset, s.length, s.ioClass);
                default -> fail(s, Nbd.EINVAL, MSG_COMMAND);
            }
        } catch (IOException e) {
            log.warn("{}: {} at {}+{} failed: {}", peer, Nbd.commandName(s.type), s.offset, s.length, e.toString());
            fail(s, Nbd.EIO, MSG_EIO);
        } catch (RuntimeException e) {
            internalErrors.incrementAndGet();
            log.error("{}: {} at {}+{} failed", peer, Nbd.commandName(s.type), s.offset, s.length, e);
            fail(s, Nbd.EIO, MSG_EIO);
        }
    }

    private void blockStatus(Slot s) throws IOException {
        MetaContext[] cs = n.contexts();
        boolean one = (s.flags & Nbd.CMD_FLAG_REQ_ONE) != 0;
        // Compact replies carry 32-bit extent lengths: ask no more than fits.
        long len = ext ? s.length : Math.min(s.length, 0xffffffffL);
        s.contextCount = cs.length;
        for (int i = 0; i < cs.length; i++) {
            s.startContext(i, cs[i].id(), one ? 1 : Slot.MAX_EXTENTS);
            be.blockStatus(s.offset, len, cs[i], s);
            if (s.extentCount[i] == 0) {
                throw new IOException("backend gave no extent for " + cs[i].wireName());
            }
        }
    }

    private void replyLoop() {
        try {
            while (true) {
                Slot s = replies.take();
                if (s == poison) {
                    return;
                }
                writeLock.lock();
                try {
                    complete(s);
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers a finished request: written right here when no reply is queued and nobody is
     * writing (no thread hand-off), else queued for the replier.
     */
    private void reply(Slot s) throws InterruptedException {
        if (replies.isEmpty() && writeLock.tryLock()) {
            try {
                complete(s);
            } finally {
                writeLock.unlock();
            }
        } else {
            replies.put(s);
        }
    }

    /** Writes the reply (unless the client is gone), counts it and frees the slot. Holds writeLock. */
    private void complete(Slot s) throws InterruptedException {
        if (!dead) {
            try {
                writeReply(s);
            } catch (IOException e) {
                dead = true;
                log.info("{}: client gone while replying: {}", peer, e.getMessage());
                t.close();
            } catch (RuntimeException e) {
                internalErrors.incrementAndGet();
                dead = true;
                log.error("{}: internal error while replying, disconnecting", peer, e);
                t.close();
            }
        }
        long bytes = s.type == Nbd.CMD_READ || s.type == Nbd.CMD_WRITE ? s.length : 0;
        metrics.record(ExportMetrics.opIndex(s.type), s.ioClass, bytes, System.nanoTime() - s.startNanos, s.error);
        if (s.disconnect) {
            dead = true;
            t.close();
        }
        s.release();
        free.put(s);
    }

    private void writeReply(Slot s) throws IOException {
        ByteBuffer h = replyHeader.clear();
        boolean chunked = ext || (n.structured() && (s.type == Nbd.CMD_READ || s.type == Nbd.CMD_BLOCK_STATUS));
        if (s.error != 0) {
            if (chunked) {
                ReplyEncoder.errorChunk(h, ext, s.cookie, s.offset, s.error, s.errorMessage == null ? MSG_INVALID : s.errorMessage);
            } else {
                ReplyEncoder.simple(h, s.error, s.cookie);
            }
            t.writeFully(h.flip());
            return;
        }
        if (s.type == Nbd.CMD_READ) {
            if (!chunked) {
                ReplyEncoder.simple(h, 0, s.cookie);
            } else if (s.length == 0) {
                ReplyEncoder.chunk(h, ext, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_NONE, s.cookie, s.offset, 0);
            } else {
                ReplyEncoder.chunk(h, ext, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_OFFSET_DATA, s.cookie, s.offset, 8 + s.length);
                h.putLong(s.offset);
            }
            h.flip();
            if (s.length == 0) {
                t.writeFully(h);
            } else {
                t.writeFully(h, s.data);
            }
            return;
        }
        if (s.type == Nbd.CMD_BLOCK_STATUS) {
            writeBlockStatus(s);
            return;
        }
        if (ext) {
            ReplyEncoder.chunk(h, true, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_NONE, s.cookie, s.offset, 0);
        } else {
            ReplyEncoder.simple(h, 0, s.cookie);
        }
        t.writeFully(h.flip());
    }

    private void writeBlockStatus(Slot s) throws IOException {
        for (int c = 0; c < s.contextCount; c++) {
            int count = s.extentCount[c];
            int per = ext ? 16 : 8;
            long payload = (ext ? 8L : 4L) + (long) per * count;
            int flags = c == s.contextCount - 1 ? Nbd.REPLY_FLAG_DONE : 0;
            ByteBuffer h = replyHeader.clear();
            ReplyEncoder.chunk(h, ext, flags, ext ? Nbd.REPLY_TYPE_BLOCK_STATUS_EXT : Nbd.REPLY_TYPE_BLOCK_STATUS,
                    s.cookie, s.offset, payload);
            h.putInt(s.contextIds[c]);
            if (ext) {
                h.putInt(count);
            }
            t.writeFully(h.flip());
            ByteBuffer e = extentBuffer.clear();
            for (int i = 0; i < count; i++) {
                if (e.remaining() < per) {
                    t.writeFully(e.flip());
                    e.clear();
                }
                if (ext) {
                    e.putLong(s.lengths[c][i]).putLong(s.statuses[c][i] & 0xffffffffL);
                } else {
                    e.putInt((int) s.lengths[c][i]).putInt(s.statuses[c][i]);
                }
            }
            t.writeFully(e.flip());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
