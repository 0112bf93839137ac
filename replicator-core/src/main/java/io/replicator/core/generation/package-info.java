/** Generation identifiers of replicated data and the pure connect-time decision of who resyncs from whom. */
package io.replicator.core.generation;
