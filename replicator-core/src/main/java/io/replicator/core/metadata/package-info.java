/** On-disk metadata: layout, the checksummed double superblock and the backing disk that holds data plus metadata. */
package io.replicator.core.metadata;
