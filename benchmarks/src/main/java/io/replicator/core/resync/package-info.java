/** JMH benchmarks of resync pacing: one step of the resync rate controller, and the target's request planning. */
package io.replicator.core.resync;
