/** Resync pacing: how much the sync target requests per step (fixed rate or DRBD's dynamic controller). */
package io.replicator.core.resync;
