package dev.backstream.coordinator.training;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.RunSpec;

/**
 * Trains in this process without Kafka, through exactly the shard path of a distributed run:
 * the batch of each step from (seed, step), every shard's gradient sum, the sums added in the
 * tree's order ({@link BatchStep}), then {@link Sgd}. A Kafka run with the same settings ends
 * on the same bits.
 */
public final class LocalTrainer {
  private final RunSpec settings;
  private final Dataset dataset;
  private final TrainingListener listener;

  /**
   * @param settings what to train
   * @param dataset the data; its training images must match the network's input size
   * @param listener receives progress and epoch reports
   */
  public LocalTrainer(RunSpec settings, Dataset dataset, TrainingListener listener) {
    this.settings = settings;
    this.dataset = dataset;
    this.listener = listener;
  }

  /**
   * Runs every step and returns the final evaluation.
   *
   * @throws DivergedException at the first step whose loss or update is not finite
   */
  public TrainingSummary run() throws InterruptedException {
    long started = System.nanoTime();
    NetShape shape = settings.shape(dataset.train().features());
    Parameters params = Parameters.initial(shape, settings.weightInitStd(), settings.seed());
    settings.dtype().round(params.values());
    BatchStep batchStep = new BatchStep(settings, dataset.train(), shape);
    try (RunProgress progress =
        new RunProgress(settings, dataset, 0, LossMeter.Sums.NONE, listener, started)) {
      for (long step = 0; step < settings.steps(); step++) {
        double meanLoss = batchStep.compute(params.values(), step);
        double[] sum = batchStep.reduced();
        long done = step + 1;
        var diverged = BatchStep.check(done, meanLoss, params.values(), sum, settings);
        if (diverged.isPresent()) {
          throw diverged.get();
        }
        Sgd.step(params.values(), sum, settings.batch(), settings.learningRate(), settings.dtype());
        progress.stepDone(done, batchStep.lossSum(), batchStep.samples());
        if (progress.evaluationDue(done)) {
          progress.evaluate(done, params, System.nanoTime(), ClusterStats.LOCAL);
        }
      }
      EpochReport last = progress.awaitLast();
      return progress.summary(last, settings.steps(), params, System.nanoTime());
    }
  }
}
