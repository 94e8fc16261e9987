package dev.backstream.coordinator.training;

/** What a trainer tells its user while it runs. Calls come from the trainer's threads, in order. */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /** Called after each step; {@code done} of {@code total} steps are finished. */
  default void onStep(long done, long total) {}

  /**
   * Called after each step, before {@link #onStep}, with that step's mean per-sample training
   * loss; {@code step} counts from 1, as {@code done} does.
   */
  default void onLoss(long step, double meanLoss) {}

  /**
   * Called about once a second while a Kafka run trains, with the cluster's figures so far (live
   * workers, shards re-sent, frames rejected), so that they need not wait for the next epoch.
   */
  default void onCluster(ClusterStats cluster) {}

  /** Called once per epoch, in epoch order, off the step loop. */
  default void onEpoch(EpochReport report) {}
}
