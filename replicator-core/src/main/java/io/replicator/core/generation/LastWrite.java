package io.replicator.core.generation;

/**
 * The last write a Secondary applied from a Primary: the Primary's node id and the write's id in its transfer log
 * (DRBD's dagtag, in spirit). The Primary sends every write to all its peers in id order, so of two Secondaries
 * that replicated from the same Primary within one generation, the one with the higher id holds every write the
 * other holds: after the Primary is lost, it is the source of their reconciliation.
 *
 * @param node the Primary's node id, or -1 for none
 * @param id   the write's id in the Primary's transfer log (ids start at the Primary's wall clock in microseconds,
 *             so a restarted Primary's ids follow its earlier ones)
 */
public record LastWrite(int node, long id) {
    /** No write applied from a Primary (since this node started). */
    public static final LastWrite NONE = new LastWrite(-1, 0);

    /** Whether both name the same Primary and one got further: then {@code this} is ahead of {@code other}. */
    public boolean aheadOf(LastWrite other) {
        return node >= 0 && node == other.node && id > other.id;
    }
}
