package io.replicator.core.resync;

/** Holds a block range against application writes while a resync or verify reads it (the transfer log). */
public interface RangeLock {
    /** No lock at all: nothing writes here (a Secondary's own application I/O does not exist). */
    RangeLock NONE = new RangeLock() {
        @Override
        public void lock(int volume, long offset, long length) {
        }

        @Override
        public void unlock(int volume, long offset, long length) {
        }
    };

    /** Waits until no write overlaps the range, then keeps new overlapping writes waiting. */
    void lock(int volume, long offset, long length) throws InterruptedException;

    /** Lets the writes go again. */
    void unlock(int volume, long offset, long length);
}
