/** The per-peer out-of-sync bitmap: in memory, in on-disk pages, and run-length encoded for the wire. */
package io.replicator.core.bitmap;
