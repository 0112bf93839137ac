package io.replicator.core.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal predecessors of each state of one enum, as in Ratis's {@code LifeCycle}: a transition {@code from -> to}
 * is valid iff {@code from} is listed as a predecessor of {@code to}. A state is never its own predecessor.
 */
final class TransitionTable<E extends Enum<E>> {
    private final Map<E, Set<E>> predecessors;

    private TransitionTable(Map<E, Set<E>> predecessors) {
        this.predecessors = predecessors;
    }

    /** Starts a table for {@code type}; every state starts with no predecessors. */
    static <E extends Enum<E>> Builder<E> builder(Class<E> type) {
        return new Builder<>(type);
    }

    /** Whether {@code from -> to} is a legal transition. */
    boolean isValid(E from, E to) {
        return predecessors.get(to).contains(from);
    }

    /** The states from which {@code to} may be entered, unmodifiable. */
    Set<E> predecessors(E to) {
        return predecessors.get(to);
    }

    /** Collects the predecessors of each state, then freezes them. */
    static final class Builder<E extends Enum<E>> {
        private final Class<E> type;
        private final Map<E, Set<E>> predecessors;

        private Builder(Class<E> type) {
            this.type = type;
            this.predecessors = new EnumMap<>(type);
            for (E state : type.getEnumConstants()) {
                predecessors.put(state, EnumSet.noneOf(type));
            }
        }

        /** Declares that {@code to} may be entered from each of {@code from}. */
        @SafeVarargs
        final Builder<E> allow(E to, E... from) {
            for (E f : from) {
                if (f == to) {
                    throw new IllegalArgumentException(to + " cannot be its own predecessor");
                }
                predecessors.get(to).add(f);
            }
            return this;
        }

        /** Declares that {@code to} may be entered from every other state. */
        Builder<E> allowFromAll(E to) {
            for (E f : type.getEnumConstants()) {
                if (f != to) {
                    predecessors.get(to).add(f);
                }
            }
            return this;
        }

        TransitionTable<E> build() {
            Map<E, Set<E>> frozen = new EnumMap<>(type);
            predecessors.forEach((to, from) -> frozen.put(to, Collections.unmodifiableSet(EnumSet.copyOf(from))));
            return new TransitionTable<>(frozen);
        }
    }
}
