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
