package dev.triage.server.session;

import dev.triage.server.backend.ExportBackend;
import dev.triage.server.backend.MetaContext;
import dev.triage.server.export.Export;
import dev.triage.server.export.ExportRegistry;
import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import dev.triage.server.protocol.OptionCodec.InvalidOption;
import dev.triage.server.protocol.ReplyEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed-newstyle handshake of one connection (the "Handshake phase" of proto.md): greeting,
 * client flags, then option haggling until {@code NBD_OPT_GO}/{@code EXPORT_NAME} (transmission),
 * {@code NBD_OPT_ABORT} or a disconnect. Every option of the spec is answered; unknown ones get
 * {@code NBD_REP_ERR_UNSUP} and the session stays in sync.
 */
final class Handshake {
    private static final Logger log = LoggerFactory.getLogger(Handshake.class);
    /** An option payload over this is treated as a denial of service (hard disconnect). */
    static final int MAX_OPTION_LENGTH = 1 << 20;
    /** Options accepted before transmission, against clients that haggle forever. */
    static final int MAX_OPTIONS = 4096;

    /** A violation that ends the connection (the spec allows a hard disconnect). */
    static final class Violation extends IOException {
        Violation(String message) {
            super(message, null);
        }
    }

    private final Transport t;
    private final ExportRegistry registry;
    private final ServerConfig config;
    private final String peer;

    // Negotiation state; reset by STARTTLS.
    private boolean structured;
    private boolean extended;
    private boolean hints;
    private String contextsExport;
    private MetaContext[] contexts = new MetaContext[0];
    private boolean noZeroes;

    Handshake(Transport t, ExportRegistry registry, ServerConfig config, String peer) {
        this.t = t;
        this.registry = registry;
        this.config = config;
        this.peer = peer;
    }

    /** Runs the handshake; null when the client aborted or left. */
    Negotiated run() throws IOException {
        ByteBuffer greeting = ByteBuffer.allocate(18);
        greeting.putLong(Nbd.NBDMAGIC).putLong(Nbd.IHAVEOPT).putShort((short) (Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES));
        t.writeFully(greeting.flip());
        ByteBuffer cf = ByteBuffer.allocate(4);
        if (!t.readFully(cf, true)) {
            return null;
        }
        int clientFlags = cf.getInt(0);
        if ((clientFlags & ~(Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES)) != 0) {
            throw new Violation("unknown client flags 0x" + Integer.toHexString(clientFlags));
        }
        boolean fixed = (clientFlags & Nbd.FLAG_C_FIXED_NEWSTYLE) != 0;
        noZeroes = (clientFlags & Nbd.FLAG_C_NO_ZEROES) != 0;
        ByteBuffer hdr = ByteBuffer.allocate(16);
        for (int count = 0; ; count++) {
            if (count >= MAX_OPTIONS) {
                throw new Violation("more than " + MAX_OPTIONS + " options");
            }
            hdr.clear();
            if (!t.readFully(hdr, true)) {
                return null;
            }
            long magic = hdr.getLong(0);
            int opt = hdr.getInt(8);
            long len = hdr.getInt(12) & 0xffffffffL;
            if (magic != Nbd.IHAVEOPT) {
                throw new Violation("bad option magic 0x" + Long.toHexString(magic));
            }
            if (len > MAX_OPTION_LENGTH) {
                throw new Violation(Nbd.optionName(opt) + ": option length " + len + " over " + MAX_OPTION_LENGTH);
            }
            byte[] data = new byte[(int) len];
            t.readFully(ByteBuffer.wrap(data));
            log.debug("{}: option {} ({} bytes)", peer, Nbd.optionName(opt), len);
            if (!fixed && opt != Nbd.OPT_EXPORT_NAME) {
                throw new Violation("client without fixed newstyle sent " + Nbd.optionName(opt));
            }
            if (config.tlsRequired() && !t.isTls() && opt != Nbd.OPT_STARTTLS && opt != Nbd.OPT_ABORT) {
                if (opt == Nbd.OPT_EXPORT_NAME) {
                    throw new Violation("EXPORT_NAME before STARTTLS on a TLS-only server");
                }
                error(opt, Nbd.REP_ERR_TLS_REQD, "TLS is required: send NBD_OPT_STARTTLS first");
                continue;
            }
            Negotiated done = switch (opt) {
                case Nbd.OPT_EXPORT_NAME -> exportName(data);
                case Nbd.OPT_ABORT -> {
                    reply(opt, Nbd.REP_ACK, new byte[0]);
                    yield null;
                }
                case Nbd.OPT_LIST -> {
                    list(data);
                    yield Negotiated_CONTINUE;
                }
                case Nbd.OPT_STARTTLS -> {
                    startTls(data);
                    yield Negotiated_CONTINUE;
                }
                case Nbd.OPT_INFO, Nbd.OPT_GO -> infoOrGo(opt, data);
                case Nbd.OPT_STRUCTURED_REPLY -> {
                    if (data.length != 0) {
                        error(opt, Nbd.REP_ERR_INVALID, "STRUCTURED_REPLY takes no data");
                    } else if (extended) {
                        error(opt, Nbd.REP_ERR_EXT_HEADER_REQD, "extended headers already negotiated");
                    } else if (structured) {
                        error(opt, Nbd.REP_ERR_INVALID, "structured replies already negotiated");
                    } else {
                        structured = true;
                        reply(opt, Nbd.REP_ACK, new byte[0]);
                    }
                    yield Negotiated_CONTINUE;
                }
                case Nbd.OPT_EXTENDED_HEADERS -> {
                    if (data.length != 0) {
                        error(opt, Nbd.REP_ERR_INVALID, "EXTENDED_HEADERS takes no data");
                    } else if (extended) {
                        error(opt, Nbd.REP_ERR_INVALID, "extended headers already negotiated");
                    } else {
                        extended = true;
                        structured = true;
                        reply(opt, Nbd.REP_ACK, new byte[0]);
                    }
                    yield Negotiated_CONTINUE;
                }
                case Nbd.OPT_LIST_META_CONTEXT, Nbd.OPT_SET_META_CONTEXT -> {
                    metaContext(opt, data);
                    yield Negotiated_CONTINUE;
                }
                case Nbd.OPT_X_TRIAGE_HINTS -> {
                    if (data.length != 0) {
                        error(opt, Nbd.REP_ERR_INVALID, "X_TRIAGE_HINTS takes no data");
                    } else {
                        hints = true;
                        reply(opt, Nbd.REP_ACK, new byte[0]);
                    }
                    yield Negotiated_CONTINUE;
                }
                default -> {
                    error(opt, Nbd.REP_ERR_UNSUP, "unsupported option " + Nbd.optionName(opt));
                    yield Negotiated_CONTINUE;
                }
            };
            if (done != Negotiated_CONTINUE) {
                return done;
            }
        }
    }

    /** Marker: option handled, keep haggling. */
    private static final Negotiated Negotiated_CONTINUE = new Negotiated(null, false, false, false, null, 0);

    private Negotiated exportName(byte[] data) throws IOException {
        if (extended) {
            throw new Violation("EXPORT_NAME after extended headers were negotiated");
        }
        String requested = new String(data, StandardCharsets.UTF_8);
        ExportRegistry.Lookup l = registry.find(requested);
        Export e = l.export();
        if (e == null || !e.access().mayOpen(t.peerCn(), l.secret())) {
            throw new Violation("EXPORT_NAME: no export \"" + nameForLog(requested) + "\" for this client");
        }
        int flags = transmissionFlags(e.backend());
        ByteBuffer b = ByteBuffer.allocate(noZeroes ? 10 : 134);
        b.putLong(e.backend().size()).putShort((short) flags);
        t.writeFully(b.position(0));
        return new Negotiated(e, structured, false, hints, contextsFor(e), flags);
    }

    private MetaContext[] contextsFor(Export e) {
        return e.name().equals(contextsExport) ? contexts : new MetaContext[0];
    }

    private void list(byte[] data) throws IOException {
        if (data.length != 0) {
            error(Nbd.OPT_LIST, Nbd.REP_ERR_INVALID, "LIST takes no data");
            return;
        }
        for (Export e : registry.all()) {
            if (!e.access().mayList(t.peerCn())) {
                continue;
            }
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            byte[] desc = e.description().getBytes(StandardCharsets.UTF_8);
            ByteBuffer p = ByteBuffer.allocate(4 + name.length + desc.length);
            p.putInt(name.length).put(name).put(desc);
            reply(Nbd.OPT_LIST, Nbd.REP_SERVER, p.array());
        }
        reply(Nbd.OPT_LIST, Nbd.REP_ACK, new byte[0]);
    }

    private void startTls(byte[] data) throws IOException {
        if (data.length != 0) {
            error(Nbd.OPT_STARTTLS, Nbd.REP_ERR_INVALID, "STARTTLS takes no data");
        } else if (t.isTls()) {
            error(Nbd.OPT_STARTTLS, Nbd.REP_ERR_INVALID, "TLS is already on");
        } else if (config.tls() == null) {
            error(Nbd.OPT_STARTTLS, Nbd.REP_ERR_POLICY, "this server has no TLS certificate");
        } else if (!t.isTcp()) {
            error(Nbd.OPT_STARTTLS, Nbd.REP_ERR_POLICY, "TLS is offered over TCP only");
        } else {
            reply(Nbd.OPT_STARTTLS, Nbd.REP_ACK, new byte[0]);
            try {
                t.startTls(config.tls());
            } catch (IOException e) {
                throw new Violation("TLS handshake failed: " + e.getMessage());
            }
            // The spec: forget everything negotiated before TLS.
            structured = false;
            extended = false;
            hints = false;
            contexts = new MetaContext[0];
            contextsExport = null;
            log.info("{}: TLS on, client CN={}", peer, t.peerCn());
        }
    }

    private Negotiated infoOrGo(int opt, byte[] data) throws IOException {
        OptionCodec.InfoRequest req;
        try {
            req = OptionCodec.parseInfo(data);
        } catch (InvalidOption e) {
            error(opt, e.replyType(), e.getMessage());
            return Negotiated_CONTINUE;
        }
        ExportRegistry.Lookup l = registry.find(req.exportName());
        Export e = l.export();
        if (e == null) {
            error(opt, Nbd.REP_ERR_UNKNOWN, "no export \"" + nameForLog(req.exportName()) + "\"");
            return Negotiated_CONTINUE;
        }
        if (!e.access().mayOpen(t.peerCn(), l.secret())) {
            if (config.tls() != null && !t.isTls() && !e.access().allowedCns().isEmpty()) {
                error(opt, Nbd.REP_ERR_TLS_REQD, "export \"" + e.name() + "\" needs a TLS client certificate");
            } else {
                error(opt, Nbd.REP_ERR_POLICY, "access to export \"" + e.name() + "\" denied");
            }
            return Negotiated_CONTINUE;
        }
        ExportBackend be = e.backend();
        int flags = transmissionFlags(be);
        ByteBuffer info = ByteBuffer.allocate(12);
        info.putShort((short) Nbd.INFO_EXPORT).putLong(be.size()).putShort((short) flags);
        reply(opt, Nbd.REP_INFO, info.array());
        boolean sentName = false;
        boolean sentDesc = false;
        for (int type : req.infoTypes()) {
            if (type == Nbd.INFO_NAME && !sentName) {
                sentName = true;
                byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
                reply(opt, Nbd.REP_INFO, ByteBuffer.allocate(2 + n.length).putShort((short) Nbd.INFO_NAME).put(n).array());
            } else if (type == Nbd.INFO_DESCRIPTION && !sentDesc) {
                sentDesc = true;
                byte[] d = e.description().getBytes(StandardCharsets.UTF_8);
                reply(opt, Nbd.REP_INFO, ByteBuffer.allocate(2 + d.length).putShort((short) Nbd.INFO_DESCRIPTION).put(d).array());
            }
            // Unknown info types are ignored, as the spec says.
        }
        // Always tell the real constraints: the server enforces them (EINVAL otherwise).
        ByteBuffer bs = ByteBuffer.allocate(14);
        bs.putShort((short) Nbd.INFO_BLOCK_SIZE).putInt(be.minBlock()).putInt(be.preferredBlock()).putInt(be.maxBlock());
        reply(opt, Nbd.REP_INFO, bs.array());
        reply(opt, Nbd.REP_ACK, new byte[0]);
        if (opt == Nbd.OPT_INFO) {
            return Negotiated_CONTINUE;
        }
        return new Negotiated(e, structured, extended, hints, contextsFor(e), flags);
    }

    private void metaContext(int opt, byte[] data) throws IOException {
        boolean set = opt == Nbd.OPT_SET_META_CONTEXT;
        if (set) {
            // A SET replaces the selection even when it fails.
            contexts = new MetaContext[0];
            contextsExport = null;
        }
        OptionCodec.MetaRequest req;
        try {
            req = OptionCodec.parseMeta(data);
        } catch (InvalidOption e) {
            error(opt, e.replyType(), e.getMessage());
            return;
        }
        if (set && !structured) {
            error(opt, Nbd.REP_ERR_INVALID, "SET_META_CONTEXT needs structured replies first");
            return;
        }
        ExportRegistry.Lookup l = registry.find(req.exportName());
        Export e = l.export();
        if (e == null || !e.access().mayOpen(t.peerCn(), l.secret())) {
            error(opt, Nbd.REP_ERR_UNKNOWN, "no export \"" + nameForLog(req.exportName()) + "\"");
            return;
        }
        List<MetaContext> matched = new ArrayList<>();
        if (req.queries().isEmpty()) {
            if (!set) {
                matched.addAll(List.of(MetaContext.values()));
            }
        } else {
            for (String q : req.queries()) {
                for (MetaContext c : MetaContext.values()) {
                    boolean match = q.equals(c.wireName())
                            || (!set && q.endsWith(":") && c.wireName().startsWith(q));
                    if (match && !matched.contains(c)) {
                        matched.add(c);
                    }
                }
            }
        }
        for (MetaContext c : matched) {
            byte[] n = c.wireName().getBytes(StandardCharsets.UTF_8);
            reply(opt, Nbd.REP_META_CONTEXT, ByteBuffer.allocate(4 + n.length).putInt(set ? c.id() : 0).put(n).array());
        }
        if (set) {
            contexts = matched.toArray(new MetaContext[0]);
            contextsExport = e.name();
        }
        reply(opt, Nbd.REP_ACK, new byte[0]);
    }

    private int transmissionFlags(ExportBackend be) {
        int f = Nbd.FLAG_HAS_FLAGS | Nbd.FLAG_SEND_FLUSH | Nbd.FLAG_SEND_FUA | Nbd.FLAG_SEND_CACHE | Nbd.FLAG_CAN_MULTI_CONN;
        if (be.readOnly()) {
            f |= Nbd.FLAG_READ_ONLY;
        } else {
            f |= Nbd.FLAG_SEND_TRIM | Nbd.FLAG_SEND_WRITE_ZEROES | Nbd.FLAG_SEND_FAST_ZERO;
        }
        if (structured) {
            f |= Nbd.FLAG_SEND_DF;
        }
        return f;
    }

    private void reply(int opt, int type, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        ReplyEncoder.optionReply(b, opt, type, payload.length);
        b.put(payload);
        t.writeFully(b.flip());
    }

    private void error(int opt, int type, String message) throws IOException {
        log.debug("{}: {} -> error 0x{}: {}", peer, Nbd.optionName(opt), Integer.toHexString(type), message);
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        reply(opt, type, m.length > Nbd.MAX_STRING ? new byte[0] : m);
    }

    private static String nameForLog(String s) {
        String n = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        int at = n.indexOf('@');
        return at >= 0 ? n.substring(0, at) + "@***" : n;
    }
}
