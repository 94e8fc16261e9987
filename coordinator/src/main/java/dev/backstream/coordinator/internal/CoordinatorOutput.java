package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.StepFrame;

/**
 * Where the step actor's records go: Kafka in a run, a probe in tests. Must not block, but for a
 * checkpoint's commit.
 */
public interface CoordinatorOutput {

  /** Writes a checkpoint and makes it and every step before it final; false if it could not. */
  boolean writeCheckpoint(CheckpointFrame checkpoint);

  /** Called every tick of the actor: housekeeping such as committing a long-open transaction. */
  default void tick() {}

  /** Publishes a step (or re-publishes it with shards handed out again). */
  void publishStep(StepFrame frame);

  /** Publishes a metrics line: loss blocks from the actor, epochs from the evaluator thread. */
  void publishMetrics(MetricsLine line);
}
