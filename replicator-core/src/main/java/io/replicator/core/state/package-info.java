/** DRBD's role, disk, connection and replication states, their legal transitions, and immutable status snapshots. */
package io.replicator.core.state;
