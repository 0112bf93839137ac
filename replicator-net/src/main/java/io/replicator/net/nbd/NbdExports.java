package io.replicator.net.nbd;

import java.util.List;
import java.util.Optional;

/**
 * What a server offers, asked afresh at every handshake (so that a promotion or demotion changes it at once).
 */
public interface NbdExports {
    /** The exports a client may attach to now, for {@code OPT_LIST}. */
    List<NbdExport> list();

    /**
     * The export {@code name} (the empty name means the default export, if there is one), or empty with
     * {@link #whyNot(String)} explaining why.
     */
    Optional<NbdExport> find(String name);

    /** Why {@code name} cannot be attached now, as a message for the client (sent with NBD_REP_ERR_UNKNOWN). */
    default String whyNot(String name) {
        return "no export named '" + name + "'";
    }

    /**
     * A client starts transmission on {@code name} (OPT_GO, or the old EXPORT_NAME): the export, or empty with
     * {@link #whyNot(String)} explaining why. Unlike {@link #find} (also asked for OPT_INFO), this may act — a
     * replicated resource promotes itself here ({@code auto-promote}). Each export returned is matched by one
     * {@link #detached} call when that client's connection ends.
     */
    default Optional<NbdExport> attach(String name) {
        return find(name);
    }

    /** A client's transmission on {@code export}, started by {@link #attach}, ended. It must not block. */
    default void detached(NbdExport export) {
    }

    /** A fixed set of exports, each found by its exact name. */
    static NbdExports of(NbdExport... exports) {
        return fixed(List.of(exports), null);
    }

    /** One fixed export, found by its name and also by the empty name (the default export). */
    static NbdExports withDefault(NbdExport export) {
        return fixed(List.of(export), export);
    }

    private static NbdExports fixed(List<NbdExport> exports, NbdExport byEmptyName) {
        return new NbdExports() {
            @Override
            public List<NbdExport> list() {
                return exports;
            }

            @Override
            public Optional<NbdExport> find(String name) {
                if (name.isEmpty() && byEmptyName != null) {
                    return Optional.of(byEmptyName);
                }
                return exports.stream().filter(export -> export.name().equals(name)).findFirst();
            }
        };
    }
}
