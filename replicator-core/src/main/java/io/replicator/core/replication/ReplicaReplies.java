package io.replicator.core.replication;

/** What the {@link ReplicaReceiver} answers the Primary; implementations send on the control channel. */
public interface ReplicaReplies {
    /** Protocol B: the write arrived. */
    void receiveAck(int volume, long offset, long id, int sizeBytes, int sequence);

    /** Protocol C: the write is done. */
    void writeAck(int volume, long offset, long id, int sizeBytes, int sequence);

    /** The write failed here. */
    void negativeAck(int volume, long offset, long id, int sizeBytes, int sequence);

    /** Epoch {@code epoch} of {@code setSize} writes is on stable storage (or drained, without disk flushes). */
    void barrierAck(int epoch, int setSize);
}
