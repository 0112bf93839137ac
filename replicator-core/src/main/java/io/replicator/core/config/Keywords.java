package io.replicator.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.replicator.core.config.SectionKind.CONNECTION;
import static io.replicator.core.config.SectionKind.CONNECTION_MESH;
import static io.replicator.core.config.SectionKind.DISK;
import static io.replicator.core.config.SectionKind.GLOBAL;
import static io.replicator.core.config.SectionKind.HANDLERS;
import static io.replicator.core.config.SectionKind.NET;
import static io.replicator.core.config.SectionKind.ON;
import static io.replicator.core.config.SectionKind.OPTIONS;
import static io.replicator.core.config.SectionKind.PATH;
import static io.replicator.core.config.SectionKind.RESOURCE;
import static io.replicator.core.config.SectionKind.STARTUP;
import static io.replicator.core.config.SectionKind.TOP;
import static io.replicator.core.config.SectionKind.VOLUME;
import static io.replicator.core.config.Support.NOT_SUPPORTED_YET;
import static io.replicator.core.config.Support.SUPPORTED;

/**
 * The one table of the configuration language (DRBD 9's drbd.conf plus our extensions): which sections nest in
 * which, and every option with where it may appear, its type, default and support status. Defaults and ranges are
 * drbd-utils 9's ({@code drbd_limits.h}), in the option's default unit.
 *
 * <p>Invariant: an option's key is unique; a keyword is either a section or an option in any one section kind
 * ({@code disk} is a parameter in resource/on/volume and a section everywhere it is listed as a child).
 */
public final class Keywords {
    private static final long ONE = ScaledNumber.ONE;
    private static final long KIB = ScaledNumber.KIB;
    private static final long SECTOR = ScaledNumber.SECTOR;
    private static final ValueType FLAG = new ValueType.Flag();
    private static final ValueType TEXT = new ValueType.Text(0);

    private static final Map<String, Option> OPTIONS_BY_KEY = new LinkedHashMap<>();

    // --- global { }
    public static final Option USAGE_COUNT = add("usage-count", Set.of(GLOBAL), ValueType.Choice.of("yes", "no", "ask"),
        "ask", SUPPORTED);
    public static final Option DIALOG_REFRESH = add("dialog-refresh", Set.of(GLOBAL), number(0, 600, ONE, "s"), "1",
        SUPPORTED);
    public static final Option DISABLE_IP_VERIFICATION = add("disable-ip-verification", Set.of(GLOBAL), FLAG, "no",
        SUPPORTED);
    public static final Option UDEV_ALWAYS_USE_VNR = add("udev-always-use-vnr", Set.of(GLOBAL), FLAG, "no",
        NOT_SUPPORTED_YET);
    public static final Option MINOR_COUNT = add("minor-count", Set.of(GLOBAL), number(1, 1048575, ONE, ""), "32",
        NOT_SUPPORTED_YET);
    public static final Option CMD_TIMEOUT_SHORT = add("cmd-timeout-short", Set.of(GLOBAL),
        number(0, 900, ONE, "s"), "5", NOT_SUPPORTED_YET);
    public static final Option CMD_TIMEOUT_MEDIUM = add("cmd-timeout-medium", Set.of(GLOBAL),
        number(0, 900, ONE, "s"), "121", NOT_SUPPORTED_YET);
    public static final Option CMD_TIMEOUT_LONG = add("cmd-timeout-long", Set.of(GLOBAL),
        number(0, 900, ONE, "s"), "600", NOT_SUPPORTED_YET);

    // --- file level
    static {
        for (String relation : List.of("eq", "ne", "gt", "ge", "lt", "le")) {
            add("require-drbd-module-version-" + relation, Set.of(TOP), new ValueType.Structural("X.Y.Z"), "",
                NOT_SUPPORTED_YET);
        }
    }

    // --- structure: resource, on, volume, connection, path, connection-mesh
    public static final Option DEVICE = add("device", Set.of(RESOURCE, ON, VOLUME),
        new ValueType.Structural("/dev/drbdN | minor N | /dev/drbdN minor N"), "", SUPPORTED);
    public static final Option DISK_PATH = add("disk", Set.of(RESOURCE, ON, VOLUME),
        new ValueType.Structural("PATH | none"), "", SUPPORTED);
    public static final Option META_DISK = add("meta-disk", Set.of(RESOURCE, ON, VOLUME),
        new ValueType.Structural("internal | PATH [INDEX]"), "internal", SUPPORTED);
    public static final Option NODE_ID = add("node-id", Set.of(ON), number(0, 31, ONE, ""), "", SUPPORTED);
    public static final Option ADDRESS = add("address", Set.of(ON),
        new ValueType.Structural("[ipv4|ipv6] IP:PORT"), "", SUPPORTED);
    public static final Option NBD_LISTEN = addExtension("nbd-listen", Set.of(ON),
        new ValueType.Structural("[ipv4|ipv6] ADDR:PORT"), "");
    public static final Option NBD_SOCKET = addExtension("nbd-socket", Set.of(ON), TEXT, "");
    public static final Option METRICS_LISTEN = addExtension("metrics-listen", Set.of(ON),
        new ValueType.Structural("[ipv4|ipv6] ADDR:PORT"), "");
    public static final Option HOST = add("host", Set.of(CONNECTION, PATH),
        new ValueType.Structural("NAME [address [ipv4|ipv6] IP:PORT]"), "", SUPPORTED);
    public static final Option HOSTS = add("hosts", Set.of(CONNECTION_MESH), new ValueType.Structural("NAME..."), "",
        SUPPORTED);

    // --- disk { }
    public static final Option SIZE = add("size", Set.of(DISK), number(0, 1L << 41, SECTOR, "sectors"), "0",
        SUPPORTED);
    public static final Option ON_IO_ERROR = add("on-io-error", Set.of(DISK),
        ValueType.Choice.of("pass_on", "call-local-io-error", "detach"), "detach", SUPPORTED);
    public static final Option DISK_BARRIER = add("disk-barrier", Set.of(DISK), FLAG, "no", SUPPORTED);
    public static final Option DISK_FLUSHES = add("disk-flushes", Set.of(DISK), FLAG, "yes", SUPPORTED);
    public static final Option DISK_DRAIN = add("disk-drain", Set.of(DISK), FLAG, "yes", SUPPORTED);
    public static final Option MD_FLUSHES = add("md-flushes", Set.of(DISK), FLAG, "yes", SUPPORTED);
    public static final Option RESYNC_AFTER = add("resync-after", Set.of(DISK), TEXT, "-1", SUPPORTED);
    public static final Option AL_EXTENTS = add("al-extents", Set.of(DISK), number(7, 65534, ONE, "extents"), "1237",
        SUPPORTED);
    public static final Option AL_UPDATES = add("al-updates", Set.of(DISK), FLAG, "yes", SUPPORTED);
    public static final Option DISK_TIMEOUT = add("disk-timeout", Set.of(DISK), number(0, 6000, ONE, "0.1 s"), "0",
        NOT_SUPPORTED_YET);
    /** Only {@code prefer-local} is supported; the validator rejects the other values as not supported yet. */
    public static final Option READ_BALANCING = add("read-balancing", Set.of(DISK), ValueType.Choice.of(
        "prefer-local", "prefer-remote", "round-robin", "least-pending", "when-congested-remote", "32K-striping",
        "64K-striping", "128K-striping", "256K-striping", "512K-striping", "1M-striping"), "prefer-local", SUPPORTED);
    public static final Option RS_DISCARD_GRANULARITY = add("rs-discard-granularity", Set.of(DISK),
        number(0, 1 << 20, ONE, "bytes"), "0", NOT_SUPPORTED_YET);
    public static final Option DISCARD_ZEROES_IF_ALIGNED = add("discard-zeroes-if-aligned", Set.of(DISK), FLAG, "yes",
        NOT_SUPPORTED_YET);
    public static final Option DISABLE_WRITE_SAME = add("disable-write-same", Set.of(DISK), FLAG, "no",
        NOT_SUPPORTED_YET);
    public static final Option BLOCK_SIZE = add("block-size", Set.of(DISK), number(512, 4096, ONE, "bytes"), "512",
        NOT_SUPPORTED_YET);
    public static final Option DISCARD_GRANULARITY = add("discard-granularity", Set.of(DISK),
        number(0, 128L << 20, ONE, "bytes"), "", NOT_SUPPORTED_YET);
    public static final Option BITMAP = add("bitmap", Set.of(DISK), FLAG, "yes", NOT_SUPPORTED_YET);
    public static final Option MAX_BIO_BVECS = add("max-bio-bvecs", Set.of(DISK), number(0, 128, ONE, ""), "0",
        NOT_SUPPORTED_YET);
    public static final Option DURABILITY = addExtension("durability", Set.of(DISK),
        ValueType.Choice.of("force", "dsync"), "force");
    // peer-device options, written in disk { } at any level
    public static final Option RESYNC_RATE = add("resync-rate", Set.of(DISK), number(1, 8L << 20, KIB, "KiB/s"),
        "250", SUPPORTED);
    public static final Option C_PLAN_AHEAD = add("c-plan-ahead", Set.of(DISK), number(0, 300, ONE, "0.1 s"), "20",
        SUPPORTED);
    public static final Option C_DELAY_TARGET = add("c-delay-target", Set.of(DISK), number(1, 100, ONE, "0.1 s"), "10",
        SUPPORTED);
    public static final Option C_FILL_TARGET = add("c-fill-target", Set.of(DISK), number(0, 1 << 20, SECTOR,
        "sectors"), "100", SUPPORTED);
    public static final Option C_MAX_RATE = add("c-max-rate", Set.of(DISK), number(0, 4L << 20, KIB, "KiB/s"),
        "102400", SUPPORTED);
    public static final Option C_MIN_RATE = add("c-min-rate", Set.of(DISK), number(0, 4L << 20, KIB, "KiB/s"), "250",
        SUPPORTED);
    public static final Option RESYNC_WITHOUT_REPLICATION = add("resync-without-replication", Set.of(DISK), FLAG,
        "yes", NOT_SUPPORTED_YET);
    public static final Option PEER_TIEBREAKER = add("peer-tiebreaker", Set.of(DISK), FLAG, "yes", NOT_SUPPORTED_YET);

    // --- net { } (protocol may also be written directly in the resource)
    public static final Option PROTOCOL = add("protocol", Set.of(NET, RESOURCE),
        new ValueType.Choice(List.of("A", "B", "C"), true, "", 0), "C", SUPPORTED);
    public static final Option TIMEOUT = add("timeout", Set.of(NET), number(1, 600, ONE, "0.1 s"), "60", SUPPORTED);
    public static final Option CONNECT_INT = add("connect-int", Set.of(NET), number(1, 120, ONE, "s"), "10",
        SUPPORTED);
    public static final Option PING_INT = add("ping-int", Set.of(NET), number(1, 120, ONE, "s"), "10", SUPPORTED);
    public static final Option PING_TIMEOUT = add("ping-timeout", Set.of(NET), number(1, 300, ONE, "0.1 s"), "5",
        SUPPORTED);
    public static final Option SOCKET_CHECK_TIMEOUT = add("socket-check-timeout", Set.of(NET),
        number(0, 300, ONE, "0.1 s"), "0", NOT_SUPPORTED_YET);
    public static final Option SNDBUF_SIZE = add("sndbuf-size", Set.of(NET), number(0, 128L << 20, ONE, "bytes"), "0",
        SUPPORTED);
    public static final Option RCVBUF_SIZE = add("rcvbuf-size", Set.of(NET), number(0, 128L << 20, ONE, "bytes"), "0",
        SUPPORTED);
    public static final Option KO_COUNT = add("ko-count", Set.of(NET), number(0, 200, ONE, ""), "7", SUPPORTED);
    public static final Option MAX_BUFFERS = add("max-buffers", Set.of(NET), number(32, 131072, ONE, "pages"), "2048",
        SUPPORTED);
    public static final Option MAX_EPOCH_SIZE = add("max-epoch-size", Set.of(NET), number(1, 20000, ONE, "writes"),
        "2048", SUPPORTED);
    public static final Option ALLOW_TWO_PRIMARIES = add("allow-two-primaries", Set.of(NET), FLAG, "no", SUPPORTED);
    public static final Option CRAM_HMAC_ALG = add("cram-hmac-alg", Set.of(NET), TEXT, "", SUPPORTED);
    public static final Option SHARED_SECRET = add("shared-secret", Set.of(NET), new ValueType.Text(64), "",
        SUPPORTED);
    public static final Option AFTER_SB_0PRI = add("after-sb-0pri", Set.of(NET), new ValueType.Choice(List.of(
        "disconnect", "discard-younger-primary", "discard-older-primary", "discard-zero-changes",
        "discard-least-changes", "discard-local", "discard-remote"), false, "discard-node-", 0), "disconnect",
        SUPPORTED);
    public static final Option AFTER_SB_1PRI = add("after-sb-1pri", Set.of(NET), ValueType.Choice.of("disconnect",
        "consensus", "violently-as0p", "discard-secondary", "call-pri-lost-after-sb"), "disconnect", SUPPORTED);
    public static final Option AFTER_SB_2PRI = add("after-sb-2pri", Set.of(NET), ValueType.Choice.of("disconnect",
        "violently-as0p", "call-pri-lost-after-sb"), "disconnect", SUPPORTED);
    public static final Option RR_CONFLICT = add("rr-conflict", Set.of(NET), ValueType.Choice.of("disconnect",
        "retry-connect", "violently", "call-pri-lost", "auto-discard"), "disconnect", SUPPORTED);
    public static final Option ALWAYS_ASBP = add("always-asbp", Set.of(NET), FLAG, "no", SUPPORTED);
    public static final Option DATA_INTEGRITY_ALG = add("data-integrity-alg", Set.of(NET), TEXT, "", SUPPORTED);
    public static final Option CSUMS_ALG = add("csums-alg", Set.of(NET), TEXT, "", SUPPORTED);
    public static final Option VERIFY_ALG = add("verify-alg", Set.of(NET), TEXT, "", SUPPORTED);
    public static final Option CSUMS_AFTER_CRASH_ONLY = add("csums-after-crash-only", Set.of(NET), FLAG, "no",
        NOT_SUPPORTED_YET);
    public static final Option USE_RLE = add("use-rle", Set.of(NET), FLAG, "yes", SUPPORTED);
    public static final Option TCP_CORK = add("tcp-cork", Set.of(NET), FLAG, "yes", NOT_SUPPORTED_YET);
    public static final Option ON_CONGESTION = add("on-congestion", Set.of(NET),
        ValueType.Choice.of("block", "pull-ahead", "disconnect"), "block", SUPPORTED);
    public static final Option CONGESTION_FILL = add("congestion-fill", Set.of(NET),
        number(0, 20L << 20, SECTOR, "sectors"), "0", SUPPORTED);
    public static final Option CONGESTION_EXTENTS = add("congestion-extents", Set.of(NET),
        number(67, 65534, ONE, "extents"), "1237", SUPPORTED);
    public static final Option FENCING = add("fencing", Set.of(NET),
        ValueType.Choice.of("dont-care", "resource-only", "resource-and-stonith"), "dont-care", SUPPORTED);
    /** Only {@code tcp} is supported; the validator rejects the other values as not supported yet. */
    public static final Option TRANSPORT = add("transport", Set.of(NET), ValueType.Choice.of("tcp", "rdma", "lb-tcp"),
        "tcp", SUPPORTED);
    public static final Option LOAD_BALANCE_PATHS = add("load-balance-paths", Set.of(NET), FLAG, "no",
        NOT_SUPPORTED_YET);
    public static final Option ALLOW_REMOTE_READ = add("allow-remote-read", Set.of(NET), FLAG, "yes",
        NOT_SUPPORTED_YET);
    public static final Option TLS = add("tls", Set.of(NET), FLAG, "no", SUPPORTED);
    public static final Option TLS_KEYRING = add("tls-keyring", Set.of(NET), TEXT, "", NOT_SUPPORTED_YET);
    public static final Option TLS_CERTIFICATE = addExtension("tls-certificate", Set.of(NET), TEXT, "");
    public static final Option TLS_PRIVKEY = addExtension("tls-privkey", Set.of(NET), TEXT, "");
    public static final Option TLS_CA = addExtension("tls-ca", Set.of(NET), TEXT, "");
    public static final Option COMPRESSION = addExtension("compression", Set.of(NET),
        ValueType.Choice.of("lz4", "none"), "none");

    // --- options { }
    public static final Option CPU_MASK = add("cpu-mask", Set.of(OPTIONS), TEXT, "0", NOT_SUPPORTED_YET);
    public static final Option ON_NO_DATA_ACCESSIBLE = add("on-no-data-accessible", Set.of(OPTIONS),
        ValueType.Choice.of("io-error", "suspend-io"), "io-error", NOT_SUPPORTED_YET);
    public static final Option AUTO_PROMOTE = add("auto-promote", Set.of(OPTIONS), FLAG, "yes", SUPPORTED);
    public static final Option AUTO_PROMOTE_TIMEOUT = add("auto-promote-timeout", Set.of(OPTIONS),
        number(0, 600, ONE, "0.1 s"), "20", SUPPORTED);
    public static final Option PEER_ACK_WINDOW = add("peer-ack-window", Set.of(OPTIONS),
        number(8, 204800, SECTOR, "sectors"), "4096", NOT_SUPPORTED_YET);
    public static final Option PEER_ACK_DELAY = add("peer-ack-delay", Set.of(OPTIONS), number(1, 10000, ONE, "ms"),
        "100", NOT_SUPPORTED_YET);
    public static final Option TWOPC_TIMEOUT = add("twopc-timeout", Set.of(OPTIONS), number(50, 600, ONE, "0.1 s"),
        "300", NOT_SUPPORTED_YET);
    public static final Option TWOPC_RETRY_TIMEOUT = add("twopc-retry-timeout", Set.of(OPTIONS),
        number(1, 50, ONE, "0.1 s"), "1", NOT_SUPPORTED_YET);
    public static final Option MAX_IO_DEPTH = add("max-io-depth", Set.of(OPTIONS), number(4, 1L << 20, ONE, ""),
        "8000", NOT_SUPPORTED_YET);
    public static final Option QUORUM = add("quorum", Set.of(OPTIONS),
        new ValueType.Choice(List.of("off", "majority", "all"), false, "", 32), "off", SUPPORTED);
    public static final Option QUORUM_MINIMUM_REDUNDANCY = add("quorum-minimum-redundancy", Set.of(OPTIONS),
        new ValueType.Choice(List.of("off", "majority", "all"), false, "", 32), "off", SUPPORTED);
    public static final Option ON_NO_QUORUM = add("on-no-quorum", Set.of(OPTIONS),
        ValueType.Choice.of("suspend-io", "io-error"), "suspend-io", SUPPORTED);
    public static final Option ON_SUSPENDED_PRIMARY_OUTDATED = add("on-suspended-primary-outdated", Set.of(OPTIONS),
        ValueType.Choice.of("disconnect", "force-secondary"), "disconnect", SUPPORTED);

    // --- startup { }
    public static final Option WFC_TIMEOUT = add("wfc-timeout", Set.of(STARTUP), number(0, 300000, ONE, "s"), "0",
        SUPPORTED);
    public static final Option DEGR_WFC_TIMEOUT = add("degr-wfc-timeout", Set.of(STARTUP),
        number(0, 300000, ONE, "s"), "0", SUPPORTED);
    public static final Option OUTDATED_WFC_TIMEOUT = add("outdated-wfc-timeout", Set.of(STARTUP),
        number(0, 300000, ONE, "s"), "0", SUPPORTED);
    public static final Option WAIT_AFTER_SB = add("wait-after-sb", Set.of(STARTUP), FLAG, "no", SUPPORTED);
    public static final Option STACKED_TIMEOUTS = add("stacked-timeouts", Set.of(STARTUP), FLAG, "no",
        NOT_SUPPORTED_YET);
    /** DRBD 8.4 only: accepted and ignored with a warning, as drbdadm 9 does; never in {@code dump}. */
    public static final Option BECOME_PRIMARY_ON = add("become-primary-on", Set.of(STARTUP),
        new ValueType.Structural("HOST... | both"), "", SUPPORTED);

    // --- handlers { }: each takes one command line
    public static final List<String> HANDLER_NAMES = List.of("pri-on-incon-degr", "pri-lost-after-sb", "pri-lost",
        "fence-peer", "unfence-peer", "local-io-error", "initial-split-brain", "split-brain", "before-resync-target",
        "after-resync-target", "before-resync-source", "out-of-sync", "quorum-lost", "disconnected");

    static {
        for (String handler : HANDLER_NAMES) {
            add(handler, Set.of(HANDLERS), TEXT, "", SUPPORTED);
        }
    }

    private static final Map<SectionKind, Set<SectionKind>> CHILDREN = new EnumMap<>(SectionKind.class);

    static {
        Set<SectionKind> optionSections = EnumSet.of(NET, DISK, OPTIONS, STARTUP, HANDLERS);
        CHILDREN.put(TOP, EnumSet.of(GLOBAL, SectionKind.COMMON, RESOURCE));
        CHILDREN.put(SectionKind.COMMON, optionSections);
        Set<SectionKind> resource = EnumSet.copyOf(optionSections);
        resource.addAll(EnumSet.of(ON, SectionKind.FLOATING, VOLUME, CONNECTION, CONNECTION_MESH));
        CHILDREN.put(RESOURCE, resource);
        CHILDREN.put(ON, EnumSet.of(VOLUME, DISK));
        CHILDREN.put(SectionKind.FLOATING, EnumSet.of(VOLUME, DISK));
        CHILDREN.put(VOLUME, EnumSet.of(DISK));
        CHILDREN.put(CONNECTION, EnumSet.of(PATH, NET, DISK, VOLUME));
        CHILDREN.put(CONNECTION_MESH, EnumSet.of(NET));
        for (SectionKind leaf : List.of(GLOBAL, PATH, NET, DISK, OPTIONS, STARTUP, HANDLERS)) {
            CHILDREN.put(leaf, EnumSet.noneOf(SectionKind.class));
        }
    }

    /** Sections drbdadm knows that the replicator rejects, with what to do instead. */
    private static final Map<String, String> UNSUPPORTED_SECTIONS = Map.of(
        "floating", "use 'on HOST { address ...; }' sections",
        "stacked-on-top-of", "stacking is deprecated in DRBD 9; use a resource with three or more nodes",
        "syncer", "the DRBD 8.3 'syncer' section is not supported; move its options into 'disk' and 'net'",
        "proxy", "DRBD Proxy is not supported; use 'net { compression lz4; }'");

    private Keywords() {
    }

    private static ValueType.Number number(long min, long max, long unit, String unitName) {
        return new ValueType.Number(min, max, unit, unitName);
    }

    private static Option add(String key, Set<SectionKind> sections, ValueType type, String defaultValue,
                              Support support) {
        Option option = new Option(key, sections, type, defaultValue, support, false);
        if (OPTIONS_BY_KEY.putIfAbsent(key, option) != null) {
            throw new IllegalStateException("option " + key + " is listed twice");
        }
        return option;
    }

    private static Option addExtension(String key, Set<SectionKind> sections, ValueType type, String defaultValue) {
        Option option = new Option(key, sections, type, defaultValue, SUPPORTED, true);
        OPTIONS_BY_KEY.put(key, option);
        return option;
    }

    /** Every option, in table order. */
    public static List<Option> all() {
        return List.copyOf(OPTIONS_BY_KEY.values());
    }

    /** The option called {@code key}, wherever it belongs. */
    public static Optional<Option> option(String key) {
        return Optional.ofNullable(OPTIONS_BY_KEY.get(key));
    }

    /** The option {@code key} if it may be written in {@code section}. */
    public static Optional<Option> option(SectionKind section, String key) {
        return option(key).filter(o -> o.sections().contains(section));
    }

    /** The section kinds that may nest directly in {@code parent}. */
    public static Set<SectionKind> children(SectionKind parent) {
        return Collections.unmodifiableSet(CHILDREN.get(parent));
    }

    /** The section kind opened by {@code keyword}, if it is one. */
    public static Optional<SectionKind> section(String keyword) {
        for (SectionKind kind : SectionKind.values()) {
            if (kind != TOP && kind.keyword().equals(keyword)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Why the section {@code keyword} is rejected, if drbdadm knows it and we do not support it. */
    public static Optional<String> unsupportedSection(String keyword) {
        return Optional.ofNullable(UNSUPPORTED_SECTIONS.get(keyword));
    }

    /** Every keyword that may be written in {@code section}: its options and its child sections. */
    public static List<String> valid(SectionKind section) {
        List<String> words = new ArrayList<>();
        for (Option option : OPTIONS_BY_KEY.values()) {
            if (option.sections().contains(section)) {
                words.add(option.key());
            }
        }
        for (SectionKind child : CHILDREN.get(section)) {
            words.add(child.keyword());
        }
        return words;
    }
}
