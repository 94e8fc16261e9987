package dev.backstream.reducer.internal;

import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;

/** Where a reducer's records go: Kafka in a run, a list in tests. Must not block. */
public interface ReducerOutput {

  /** Publishes a subtree's sum to the coordinator's partition. */
  void publishSum(GradientFrame frame);

  /** Publishes a heartbeat or a goodbye. */
  void publishHeartbeat(WorkerHeartbeat heartbeat);
}
