/** A backing disk attached for I/O: metadata, replayed activity log and bitmaps together. */
package io.replicator.core.disk;
