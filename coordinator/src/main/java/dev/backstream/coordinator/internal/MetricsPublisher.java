package dev.backstream.coordinator.internal;

import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.MetricsLines;
import dev.backstream.coordinator.training.TrainingListener;

/**
 * Passes reports on to the user's listener and publishes the run's metrics lines (settings, loss
 * blocks, epochs) on the metrics topic. {@link #onLoss} runs on the actor: it only buffers, and
 * the output sends without waiting.
 */
final class MetricsPublisher implements TrainingListener {
  private final CoordinatorSetup setup;
  private final MetricsLines lines;

  MetricsPublisher(CoordinatorSetup setup) {
    this.setup = setup;
    this.lines = new MetricsLines(setup.run(), "kafka", setup.settings(),
        setup.dataset().train().count(), setup.output()::publishMetrics, System::currentTimeMillis);
  }

  @Override
  public void onEpoch(EpochReport r) {
    lines.onEpoch(r);
    setup.listener().onEpoch(r);
  }

  @Override
  public void onLoss(long step, double meanLoss) {
    lines.onLoss(step, meanLoss);
    setup.listener().onLoss(step, meanLoss);
  }

  @Override
  public void onStep(long done, long total) {
    setup.listener().onStep(done, total);
  }
}
