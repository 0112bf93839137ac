package io.replicator.net.nbd;

/**
 * The NBD wire layout (fixed newstyle, no TLS, no extended headers): every constant the server sends or checks.
 * All integers are big-endian.
 *
 * <pre>
 * Greeting, server to client (18 bytes):
 *  0                   8                   16  18
 * +-------------------+-------------------+---+
 * | NBDMAGIC          | IHAVEOPT          |flg|   flg: FIXED_NEWSTYLE | NO_ZEROES
 * +-------------------+-------------------+---+
 *
 * Option request, client to server (16 bytes + data):     Option reply, server to client (20 bytes + data):
 * +-----------+-------+-------+------                     +-----------+-------+-------+-------+------
 * | IHAVEOPT  |option |length | data                      | REP_MAGIC |option | type  |length | data
 * +-----------+-------+-------+------                     +-----------+-------+-------+-------+------
 *
 * Request (28 bytes + WRITE payload):
 * +-------+-----+-----+---------------+---------------+-------+------
 * | magic |flags|type | cookie        | offset        |length | payload
 * +-------+-----+-----+---------------+---------------+-------+------
 *  0       4     6     8               16              24      28
 *
 * Simple reply (16 bytes + READ data):       Structured reply chunk (20 bytes + payload):
 * +-------+-------+---------------+----      +-------+-----+-----+---------------+-------+------
 * | magic | error | cookie        | data     | magic |flags|type | cookie        |length | payload
 * +-------+-------+---------------+----      +-------+-----+-----+---------------+-------+------
 * </pre>
 */
final class NbdDescriptor {
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454F5054L;
    static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;
    static final int GREETING_BYTES = 18;
    static final int OPTION_HEADER_BYTES = 16;

    static final int FLAG_FIXED_NEWSTYLE = 1;
    static final int FLAG_NO_ZEROES = 1 << 1;
    static final int CLIENT_FLAGS_KNOWN = FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES;
    /** Zero padding after an {@code OPT_EXPORT_NAME} reply unless NO_ZEROES was agreed. */
    static final int EXPORT_NAME_PADDING_BYTES = 124;

    static final int OPT_EXPORT_NAME = 1;
    static final int OPT_ABORT = 2;
    static final int OPT_LIST = 3;
    static final int OPT_STARTTLS = 5;
    static final int OPT_INFO = 6;
    static final int OPT_GO = 7;
    static final int OPT_STRUCTURED_REPLY = 8;
    static final int OPT_LIST_META_CONTEXT = 9;
    static final int OPT_SET_META_CONTEXT = 10;

    static final int REP_ACK = 1;
    static final int REP_SERVER = 2;
    static final int REP_INFO = 3;
    static final int REP_ERR_UNSUP = 0x80000001;
    static final int REP_ERR_POLICY = 0x80000002;
    static final int REP_ERR_INVALID = 0x80000003;
    static final int REP_ERR_UNKNOWN = 0x80000006;
    static final int REP_ERR_TOO_BIG = 0x80000009;

    static final int INFO_EXPORT = 0;
    static final int INFO_NAME = 1;
    static final int INFO_DESCRIPTION = 2;
    static final int INFO_BLOCK_SIZE = 3;

    /** Longest option data the server reads; longer options are skipped and refused with ERR_TOO_BIG. */
    static final int MAX_OPTION_BYTES = 16 * 1024;
    /** Longest string (export name, description) the protocol allows. */
    static final int MAX_STRING_BYTES = 4096;

    static final int MIN_BLOCK_BYTES = 1;
    static final int PREFERRED_BLOCK_BYTES = 4096;
    /** Largest READ or WRITE payload the server accepts (32 MiB). */
    static final int MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

    static final int TFLAG_HAS_FLAGS = 1;
    static final int TFLAG_READ_ONLY = 1 << 1;
    static final int TFLAG_SEND_FLUSH = 1 << 2;
    static final int TFLAG_SEND_FUA = 1 << 3;
    static final int TFLAG_SEND_TRIM = 1 << 5;
    static final int TFLAG_SEND_WRITE_ZEROES = 1 << 6;
    static final int TFLAG_CAN_MULTI_CONN = 1 << 8;
    static final int TFLAG_SEND_CACHE = 1 << 10;
    static final int TFLAG_SEND_FAST_ZERO = 1 << 11;

    static final int REQUEST_MAGIC = 0x25609513;
    static final int REQUEST_HEADER_BYTES = 28;
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int SIMPLE_REPLY_HEADER_BYTES = 16;
    static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;
    static final int STRUCTURED_REPLY_HEADER_BYTES = 20;

    static final int CMD_READ = 0;
    static final int CMD_WRITE = 1;
    static final int CMD_DISC = 2;
    static final int CMD_FLUSH = 3;
    static final int CMD_TRIM = 4;
    static final int CMD_CACHE = 5;
    static final int CMD_WRITE_ZEROES = 6;

    static final int CMD_FLAG_FUA = 1;
    static final int CMD_FLAG_NO_HOLE = 1 << 1;
    static final int CMD_FLAG_FAST_ZERO = 1 << 4;

    static final int REPLY_FLAG_DONE = 1;
    static final int REPLY_TYPE_NONE = 0;
    static final int REPLY_TYPE_OFFSET_DATA = 1;
    static final int REPLY_TYPE_ERROR = (1 << 15) + 1;

    private NbdDescriptor() {
    }

    /** The transmission flags of an export: everything the server implements, READ_ONLY if so. */
    static int transmissionFlags(NbdExport export) {
        int flags = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES
            | TFLAG_CAN_MULTI_CONN | TFLAG_SEND_CACHE | TFLAG_SEND_FAST_ZERO;
        return export.readOnly() ? flags | TFLAG_READ_ONLY : flags;
    }
}
