package io.replicator.core.resource;

import io.replicator.core.state.StateChangeRefusal;

/**
 * The result of a command on a resource, with what to tell the operator.
 *
 * @param kind    how it ended
 * @param message what happened, or why not and what to do; empty when there is nothing to say
 */
public record Outcome(Kind kind, String message) {
    /** How a command ended; the CLI maps each kind to its exit status. */
    public enum Kind {
        /** Done. */
        DONE,
        /** A state change was refused (exit 11). */
        REFUSED,
        /** Promotion refused for lack of up-to-date data (exit 17). */
        NO_UP_TO_DATE_DATA,
        /** Anything else failed: I/O, missing metadata (exit 1). */
        FAILED
    }

    /** Done, with an optional note. */
    public static Outcome done(String message) {
        return new Outcome(Kind.DONE, message);
    }

    /** Refused by DRBD's rule {@code refusal}, in drbdsetup's words, with a hint. */
    public static Outcome refused(StateChangeRefusal refusal, String hint) {
        Kind kind = refusal == StateChangeRefusal.NO_UP_TO_DATE_DISK ? Kind.NO_UP_TO_DATE_DATA : Kind.REFUSED;
        return new Outcome(kind, "State change failed: (" + refusal.code() + ") " + refusal.message()
            + (hint.isEmpty() ? "" : "\n" + hint));
    }

    /** Refused for a reason DRBD has no code for (exit 11). */
    public static Outcome refused(String message) {
        return new Outcome(Kind.REFUSED, message);
    }

    /** Failed for another reason. */
    public static Outcome failed(String message) {
        return new Outcome(Kind.FAILED, message);
    }

    /** Whether the command did what was asked. */
    public boolean ok() {
        return kind == Kind.DONE;
    }
}
