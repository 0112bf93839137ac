package io.replicator.core.resource;

import io.replicator.core.config.VolumeConfig;
import io.replicator.core.metadata.BackingDisk;
import io.replicator.core.metadata.VolumeStorage;

import java.io.IOException;

/** Opens a configured volume's storage and metadata; tests substitute fault-injecting storage. */
@FunctionalInterface
public interface VolumeOpener {
    /** The real storage named by the configuration. */
    VolumeOpener STORAGE = VolumeStorage::open;

    /** Opens {@code volume}'s backing storage with its existing metadata. */
    BackingDisk open(VolumeConfig volume) throws IOException;
}
