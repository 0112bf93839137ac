/** JMH benchmarks of resync pacing: one step of the resync rate controller. */
package io.replicator.core.resync;
