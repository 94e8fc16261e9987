package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.StepFrame;

/** Where the step actor's records go: Kafka in a run, a probe in tests. Must not block. */
public interface CoordinatorOutput {

  /** Publishes a step (or re-publishes it with shards handed out again). */
  void publishStep(StepFrame frame);

  /** Publishes a metrics line: loss blocks from the actor, epochs from the evaluator thread. */
  void publishMetrics(MetricsLine line);
}
