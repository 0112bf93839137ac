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
}
