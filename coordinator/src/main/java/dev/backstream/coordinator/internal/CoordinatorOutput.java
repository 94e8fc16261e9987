package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.StepFrame;

/** Where the step actor's records go: Kafka in a run, a probe in tests. Must not block. */
public interface CoordinatorOutput {

  /** Publishes a step (or re-publishes it with shards handed out again). */
  void publishStep(StepFrame frame);

  /** Publishes an epoch's metrics. Called from the evaluator thread. */
  void publishMetrics(MetricsRecord record);
}
