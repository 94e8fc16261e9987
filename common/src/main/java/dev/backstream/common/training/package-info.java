/**
 * The parts of a training step that workers and the coordinator must agree on bit for bit: how a
 * step's batch is cut into shards, and the one kernel that computes a shard's gradient sum.
 */
package dev.backstream.common.training;
