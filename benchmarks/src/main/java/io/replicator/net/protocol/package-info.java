/** JMH benchmarks of the replication wire codec: data frame encode and decode, with and without LZ4 and digests. */
package io.replicator.net.protocol;
