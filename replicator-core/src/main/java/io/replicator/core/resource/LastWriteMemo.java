package io.replicator.core.resource;

import io.replicator.core.generation.LastWrite;

/**
 * Where a node keeps the last write it applied from a Primary ({@link LastWrite}) so that a crash of its process does
 * not lose it: memory that outlives the process but not the machine — a file mapped from the run folder, whose pages
 * the kernel keeps like the data's own unflushed writes.
 *
 * <p>Why: of two Secondaries of one Primary, the one that applied its later writes is the source when they reconcile
 * ({@link io.replicator.core.generation.HandshakeDecider}). The last write lives in memory and reaches the disk only
 * when the Primary is lost; a Secondary whose process was killed while connected came back knowing nothing, and the
 * other Secondary's older copy overwrote writes it held and had acknowledged (simulation seed 7024146964926916655).
 * After a machine crash the memo means nothing — the data's unflushed writes may be gone too — and it is not read.
 *
 * <p>{@link #record} runs on a peer's receive thread for every replicated write, before its acknowledgement: it must
 * cost about a memory store.
 */
public interface LastWriteMemo {
    /** No memo: a process crash forgets the last write. */
    LastWriteMemo NONE = new LastWriteMemo() {
        @Override
        public void record(LastWrite last) {
        }

        @Override
        public LastWrite recall() {
            return LastWrite.NONE;
        }
    };

    /** Keeps {@code last} as the last write applied. Any thread. */
    void record(LastWrite last);

    /** What a previous process of this boot kept last, or {@link LastWrite#NONE}. */
    LastWrite recall();
}
