/**
 * The training loop that does not depend on who computes: batches drawn from (seed, step), shard
 * sums added in a fixed pairwise tree, SGD, and evaluation on parameter snapshots. The in-process
 * trainer here and the Kafka coordinator share every piece, so both end on the same bits.
 */
package dev.backstream.coordinator.training;
