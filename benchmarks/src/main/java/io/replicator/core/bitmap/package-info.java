/** JMH benchmarks of the out-of-sync bitmap: set, scan and run-length encoding, beside java.util.BitSet. */
package io.replicator.core.bitmap;
