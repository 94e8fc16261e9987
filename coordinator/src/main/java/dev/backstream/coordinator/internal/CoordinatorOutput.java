package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.StepFrame;
import java.util.Set;

/**
 * Where the step actor's records go: Kafka in a run, a probe in tests. Must not block, but for a
 * checkpoint's commit.
 */
public interface CoordinatorOutput {

  /** Writes a checkpoint and makes it and every step before it final; false if it could not. */
  boolean writeCheckpoint(CheckpointFrame checkpoint);

  /** Called every tick of the actor: housekeeping such as committing a long-open transaction. */
  default void tick() {}

  /**
   * Says which reducer subtrees a live reducer adds up: their partitions of the gradients topic
   * are not read here, the others are. Called every tick; must not block.
   */
  default void reducedElsewhere(Set<Integer> subtrees) {}

  /** Publishes a step (or re-publishes it with shards handed out again). */
  void publishStep(StepFrame frame);

  /** Publishes a metrics line: loss blocks from the actor, epochs from the evaluator thread. */
  void publishMetrics(MetricsLine line);
}
