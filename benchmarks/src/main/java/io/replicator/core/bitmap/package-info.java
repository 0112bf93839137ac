/** JMH benchmarks of the out-of-sync bitmap: set, scan and run-length encoding, each beside a java.util.BitSet baseline where one exists. */
package io.replicator.core.bitmap;
