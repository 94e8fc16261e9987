package dev.backstream.coordinator.training;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.FlatVector;
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
    FlatVector params = FlatVector.rounded(settings.dtype(),
        Parameters.initial(shape, settings.weightInitStd(), settings.seed()).values());
    // SGD writes each step's update here; the two vectors swap once the step is found finite
    FlatVector next = params.zerosLike();
    BatchStep batchStep = new BatchStep(settings, dataset.train(), shape);
    try (RunProgress progress =
        new RunProgress(settings, dataset, 0, LossMeter.Sums.NONE, listener, started,
            Evaluations.EVERY_EPOCH)) {
      for (long step = 0; step < settings.steps(); step++) {
        double meanLoss = batchStep.compute(params, step);
        long done = step + 1;
        var diverged =
            BatchStep.update(done, meanLoss, params, batchStep.reduced(), settings, next);
        if (diverged.isPresent()) {
          throw diverged.get();
        }
        FlatVector before = params;
        params = next;
        next = before;
        progress.stepDone(done, batchStep.lossSum(), batchStep.samples());
        if (progress.evaluationDue(done)) {
          progress.evaluate(
              done, Parameters.of(shape, params), System.nanoTime(), ClusterStats.LOCAL);
        }
      }
      EpochReport last = progress.awaitLast();
      return progress.summary(
          last, settings.steps(), Parameters.of(shape, params), System.nanoTime());
    }
  }
}
