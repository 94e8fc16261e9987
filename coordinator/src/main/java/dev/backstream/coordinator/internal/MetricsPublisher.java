package dev.backstream.coordinator.internal;

import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;

/** Passes reports on to the user's listener and publishes each epoch on the metrics topic. */
final class MetricsPublisher implements TrainingListener {
  private final CoordinatorSetup setup;

  MetricsPublisher(CoordinatorSetup setup) {
    this.setup = setup;
  }

  @Override
  public void onEpoch(EpochReport r) {
    setup.output().publishMetrics(
        new MetricsRecord(setup.run(), r.epoch(), r.step(), r.trainAccuracy(), r.testAccuracy(),
            r.loss(), r.stepsPerSecond(), r.cluster().liveWorkers(), r.cluster().shardsResent(),
            r.cluster().framesRejected(), r.cluster().rejectedByReason(), r.wallSeconds(),
            System.currentTimeMillis()));
    setup.listener().onEpoch(r);
  }

  @Override
  public void onLoss(long step, double meanLoss) {
    setup.listener().onLoss(step, meanLoss);
  }
}
