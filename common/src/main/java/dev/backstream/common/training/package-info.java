/**
 * The parts of a training step that workers and the coordinator must agree on bit for bit: how a
 * step's batch is cut into shards, the one kernel that computes a shard's gradient sum, the
 * reduction tree, and the rules a gradient frame is admitted by before its sum counts
 * ({@code GradientRules}, {@code StepRound}), for any process that gathers sums.
 */
package dev.backstream.common.training;
