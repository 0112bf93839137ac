/** The block store behind a replicated volume: the {@link io.replicator.core.volume.Volume} SPI and its file and device implementations. */
package io.replicator.core.volume;
