/** The per-peer out-of-sync bitmap: in-memory {@link io.replicator.core.bitmap.DirtyBitmap}, its on-disk pages and its run-length wire encoding. */
package io.replicator.core.bitmap;
