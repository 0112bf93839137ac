/** The activity log: hot 4 MiB extents, transactions in an on-disk ring, and their replay after a crash. */
package io.replicator.core.activitylog;
