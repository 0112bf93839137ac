package io.replicator.core.state;

/**
 * Why a state change was refused: DRBD's negative {@code drbd_state_rv} codes with the messages of
 * {@code drbd_strings.c}, which drbdsetup prints as {@code State change failed: (CODE) MESSAGE} (drbd.md §8).
 */
public enum StateChangeRefusal {
    /** Promoting while a peer is Primary, without {@code allow-two-primaries}. */
    TWO_PRIMARIES(-1, "Multiple primaries not allowed by config"),
    /** Promoting without UpToDate data on this node or a connected peer. */
    NO_UP_TO_DATE_DISK(-2, "Need access to UpToDate data"),
    /** A resync toward this node needs a local disk. */
    NO_LOCAL_DISK(-4, "Can not resync without local disk"),
    /** A resync toward the peer needs the peer's disk. */
    NO_REMOTE_DISK(-5, "Can not resync without remote disk"),
    /** {@code outdate} while connected; only the peers may outdate a connected disk. */
    CONNECTED_OUTDATES(-6, "Refusing to be Outdated while Connected"),
    /** Promoting while a disconnected peer is not known to be Outdated (fencing). */
    PRIMARY_NOP(-7, "Refusing to be Primary while peer is not outdated"),
    /** Starting a resync or verify while one runs already. */
    RESYNC_RUNNING(-8, "Can not start OV/resync since it is already active"),
    /** {@code disconnect} of a connection that is StandAlone. */
    ALREADY_STANDALONE(-9, "Can not disconnect a StandAlone device"),
    /** A cluster-wide change that a peer voted against. */
    CW_FAILED_BY_PEER(-10, "State change was refused by peer node"),
    /** The operation needs a disk and this node is Diskless. */
    IS_DISKLESS(-11, "Device is diskless, the requested operation requires a disk"),
    /** Demoting or going down while the device is open. */
    DEVICE_IN_USE(-12, "Device is held open by someone"),
    /** Connecting without a network configuration. */
    NO_NET_CONFIG(-13, "Have no net/connection configuration"),
    /** {@code verify} without a {@code verify-alg}. */
    NO_VERIFY_ALG(-14, "Need a verify algorithm to start online verify"),
    /** {@code verify} or {@code invalidate-remote} without a connection. */
    NEED_CONNECTION(-15, "Need a connection to start verify or resync"),
    /** Outdating or promoting a disk that is Inconsistent or worse. */
    LOWER_THAN_OUTDATED(-16, "Disk state is lower than outdated"),
    /** The peer's protocol version lacks the feature. */
    NOT_SUPPORTED(-17, "Peer does not support protocol"),
    /** A transient state, such as a running handshake; the caller may retry. */
    IN_TRANSIENT_STATE(-18, "In transient state, retry after next state change"),
    /** Two cluster-wide state changes collided and both were aborted. */
    CONCURRENT_STATE_CHANGE(-19, "Concurrent state changes detected and aborted"),
    /** Another volume of the resource is Primary on the peer. */
    OTHER_VOLUME_PEER_PRIMARY(-20, "Other vol primary on peer not allowed by config"),
    /** A waiting state change was interrupted. */
    INTERRUPTED(-21, "Interrupted state change"),
    /** The peer may not promote while this node has the device open read-only. */
    PRIMARY_READER(-22, "Peer may not become primary while device is opened read-only"),
    /** A cluster-wide state change did not complete in {@code twopc-timeout}. */
    TIMEOUT(-23, "Timeout in operation"),
    /** Two Primaries that are not directly connected to each other. */
    WEAKLY_CONNECTED(-24, "Primary nodes must be strongly connected among each other"),
    /** Promoting or writing in a partition without quorum. */
    NO_QUORUM(-25, "No quorum");

    private final int code;
    private final String message;

    StateChangeRefusal(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** DRBD's negative return code, e.g. {@code -2}. */
    public int code() {
        return code;
    }

    /** DRBD's message, e.g. {@code Need access to UpToDate data}. */
    public String message() {
        return message;
    }

    /** The refusal with DRBD code {@code code}; throws {@link IllegalArgumentException} if none. */
    public static StateChangeRefusal ofCode(int code) {
        for (StateChangeRefusal refusal : values()) {
            if (refusal.code == code) {
                return refusal;
            }
        }
        throw new IllegalArgumentException("unknown state change code: " + code);
    }

    /** The line drbdsetup prints for it: {@code State change failed: (-2) Need access to UpToDate data}. */
    public String describe() {
        return "State change failed: (" + code + ") " + message;
    }
}
