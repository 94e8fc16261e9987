package dev.backstream.cli.testing;

import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.training.LocalTrainer;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;

/**
 * The in-process run on the committed MNIST subset: the bits that every run over Kafka, whatever
 * its workers did or suffered, must end on.
 */
public final class LocalRun {
  private LocalRun() {}

  /** The {@code paramsSha256} of {@code train --local} with {@code settings} on the subset. */
  public static String paramsSha256(RunSpec settings) throws InterruptedException {
    return summary(settings).paramsSha256();
  }

  /** The summary of {@code train --local} with {@code settings} on the subset. */
  public static TrainingSummary summary(RunSpec settings) throws InterruptedException {
    return new LocalTrainer(settings, TestDatasets.mnistSubset(), TrainingListener.NONE).run();
  }
}
