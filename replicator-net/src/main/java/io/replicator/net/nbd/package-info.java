/** The NBD export: a fixed-newstyle NBD server in front of a replicated volume. */
package io.replicator.net.nbd;
