package dev.backstream.worker.internal;

import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;

/** Where a worker's records go: Kafka in a run, a probe in tests. Must not block. */
public interface WorkerOutput {

  /**
   * Publishes the gradient sum of a node of the step's reduction tree. The frame's vector is
   * reused for a later step once this returns: encode (or copy) it before returning.
   */
  void publishGradient(GradientFrame frame);

  /** Publishes a heartbeat or a goodbye. */
  void publishHeartbeat(WorkerHeartbeat heartbeat);
}
