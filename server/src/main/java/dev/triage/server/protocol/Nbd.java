package dev.triage.server.protocol;

/**
 * The numbers of the NBD protocol, from {@code NetworkBlockDevice/nbd:doc/proto.md} (master, and
 * the {@code extension-ext-header} branch for extended headers), plus the Triage extension of
 * {@code docs/nbd-extension.md}. All integers on the wire are big-endian.
 */
public final class Nbd {
    private Nbd() {
    }

    // Magic numbers.
    public static final long NBDMAGIC = 0x4e42444d41474943L;
    public static final long IHAVEOPT = 0x49484156454F5054L;
    public static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;
    public static final int REQUEST_MAGIC = 0x25609513;
    public static final int EXTENDED_REQUEST_MAGIC = 0x21e41c71;
    public static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    public static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;
    public static final int EXTENDED_REPLY_MAGIC = 0x6e8a278c;

    // Handshake flags (server) and client flags.
    public static final int FLAG_FIXED_NEWSTYLE = 1;
    public static final int FLAG_NO_ZEROES = 2;
    public static final int FLAG_C_FIXED_NEWSTYLE = 1;
    public static final int FLAG_C_NO_ZEROES = 2;

    // Options.
    public static final int OPT_EXPORT_NAME = 1;
    public static final int OPT_ABORT = 2;
    public static final int OPT_LIST = 3;
    public static final int OPT_PEEK_EXPORT = 4;
    public static final int OPT_STARTTLS = 5;
    public static final int OPT_INFO = 6;
    public static final int OPT_GO = 7;
    public static final int OPT_STRUCTURED_REPLY = 8;
    public static final int OPT_LIST_META_CONTEXT = 9;
    public static final int OPT_SET_META_CONTEXT = 10;
    public static final int OPT_EXTENDED_HEADERS = 11;
    /** Triage extension: after an ACK, requests may carry an I/O class (docs/nbd-extension.md). */
    public static final int OPT_X_TRIAGE_HINTS = 0x54524901;

    // Option reply types.
    public static final int REP_ACK = 1;
    public static final int REP_SERVER = 2;
    public static final int REP_INFO = 3;
    public static final int REP_META_CONTEXT = 4;
    public static final int REP_ERR_UNSUP = 0x80000001;
    public static final int REP_ERR_POLICY = 0x80000002;
    public static final int REP_ERR_INVALID = 0x80000003;
    public static final int REP_ERR_PLATFORM = 0x80000004;
    public static final int REP_ERR_TLS_REQD = 0x80000005;
    public static final int REP_ERR_UNKNOWN = 0x80000006;
    public static final int REP_ERR_SHUTDOWN = 0x80000007;
    public static final int REP_ERR_BLOCK_SIZE_REQD = 0x80000008;
    public static final int REP_ERR_TOO_BIG = 0x80000009;
    public static final int REP_ERR_EXT_HEADER_REQD = 0x8000000a;

    // Info types.
    public static final int INFO_EXPORT = 0;
    public static final int INFO_NAME = 1;
    public static final int INFO_DESCRIPTION = 2;
    public static final int INFO_BLOCK_SIZE = 3;

    // Transmission flags.
    public static final int FLAG_HAS_FLAGS = 1;
    public static final int FLAG_READ_ONLY = 1 << 1;
    public static final int FLAG_SEND_FLUSH = 1 << 2;
    public static final int FLAG_SEND_FUA = 1 << 3;
    public static final int FLAG_ROTATIONAL = 1 << 4;
    public static final int FLAG_SEND_TRIM = 1 << 5;
    public static final int FLAG_SEND_WRITE_ZEROES = 1 << 6;
    public static final int FLAG_SEND_DF = 1 << 7;
    public static final int FLAG_CAN_MULTI_CONN = 1 << 8;
    public static final int FLAG_SEND_RESIZE = 1 << 9;
    public static final int FLAG_SEND_CACHE = 1 << 10;
    public static final int FLAG_SEND_FAST_ZERO = 1 << 11;
    public static final int FLAG_BLOCK_STATUS_PAYLOAD = 1 << 12;

    // Commands.
    public static final int CMD_READ = 0;
    public static final int CMD_WRITE = 1;
    public static final int CMD_DISC = 2;
    public static final int CMD_FLUSH = 3;
    public static final int CMD_TRIM = 4;
    public static final int CMD_CACHE = 5;
    public static final int CMD_WRITE_ZEROES = 6;
    public static final int CMD_BLOCK_STATUS = 7;
    public static final int CMD_RESIZE = 8;
    /** Triage extension: sets the class of a range (class in the flags' high byte). */
    public static final int CMD_X_TRIAGE_SET_CLASS = 0x5401;

    // Command flags.
    public static final int CMD_FLAG_FUA = 1;
    public static final int CMD_FLAG_NO_HOLE = 1 << 1;
    public static final int CMD_FLAG_DF = 1 << 2;
    public static final int CMD_FLAG_REQ_ONE = 1 << 3;
    public static final int CMD_FLAG_FAST_ZERO = 1 << 4;
    public static final int CMD_FLAG_PAYLOAD_LEN = 1 << 5;
    /** Triage extension: bits 8-15 of the command flags carry class id + 1 (0 = no hint). */
    public static final int CMD_FLAG_X_TRIAGE_CLASS_MASK = 0xff00;
    public static final int CMD_FLAG_X_TRIAGE_CLASS_SHIFT = 8;

    // Structured reply flags and chunk types.
    public static final int REPLY_FLAG_DONE = 1;
    public static final int REPLY_TYPE_NONE = 0;
    public static final int REPLY_TYPE_OFFSET_DATA = 1;
    public static final int REPLY_TYPE_OFFSET_HOLE = 2;
    public static final int REPLY_TYPE_BLOCK_STATUS = 5;
    public static final int REPLY_TYPE_BLOCK_STATUS_EXT = 6;
    public static final int REPLY_TYPE_ERROR = 0x8001;
    public static final int REPLY_TYPE_ERROR_OFFSET = 0x8002;

    // Errors.
    public static final int EPERM = 1;
    public static final int EIO = 5;
    public static final int ENOMEM = 12;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EOVERFLOW = 75;
    public static final int ENOTSUP = 95;
    public static final int ESHUTDOWN = 108;

    // base:allocation flags.
    public static final int STATE_HOLE = 1;
    public static final int STATE_ZERO = 2;

    /** The largest string the spec allows (export names, context names, messages). */
    public static final int MAX_STRING = 4096;
    /** Payloads up to 32 MiB must never be treated as a denial of service (spec, size constraints). */
    public static final int DOS_THRESHOLD = 1 << 25;

    /** A name for an option, for logs. */
    public static String optionName(int opt) {
        return switch (opt) {
            case OPT_EXPORT_NAME -> "EXPORT_NAME";
            case OPT_ABORT -> "ABORT";
            case OPT_LIST -> "LIST";
            case OPT_PEEK_EXPORT -> "PEEK_EXPORT";
            case OPT_STARTTLS -> "STARTTLS";
            case OPT_INFO -> "INFO";
            case OPT_GO -> "GO";
            case OPT_STRUCTURED_REPLY -> "STRUCTURED_REPLY";
            case OPT_LIST_META_CONTEXT -> "LIST_META_CONTEXT";
            case OPT_SET_META_CONTEXT -> "SET_META_CONTEXT";
            case OPT_EXTENDED_HEADERS -> "EXTENDED_HEADERS";
            case OPT_X_TRIAGE_HINTS -> "X_TRIAGE_HINTS";
            default -> "option " + Integer.toUnsignedString(opt);
        };
    }

    /** A name for a command, for logs and metrics labels. */
    public static String commandName(int cmd) {
        return switch (cmd) {
            case CMD_READ -> "read";
            case CMD_WRITE -> "write";
            case CMD_DISC -> "disc";
            case CMD_FLUSH -> "flush";
            case CMD_TRIM -> "trim";
            case CMD_CACHE -> "cache";
            case CMD_WRITE_ZEROES -> "write_zeroes";
            case CMD_BLOCK_STATUS -> "block_status";
            case CMD_RESIZE -> "resize";
            case CMD_X_TRIAGE_SET_CLASS -> "x_triage_set_class";
            default -> "cmd" + cmd;
        };
    }
}
