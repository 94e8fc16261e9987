package dev.backstream.coordinator.training;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;

/**
 * Trains in this process without Kafka, through exactly the shard path of a distributed run:
 * the batch of each step from (seed, step), every shard's gradient sum, the sums added in the
 * tree's order ({@link BatchStep}), then {@link Sgd}. A Kafka run with the same settings ends
 * on the same bits.
 */
public final class LocalTrainer {
  private final TrainingSettings settings;
  private final Dataset dataset;
  private final TrainingListener listener;

  /**
   * @param settings what to train
   * @param dataset the data; its training images must match the network's input size
   * @param listener receives progress and epoch reports
   */
  public LocalTrainer(TrainingSettings settings, Dataset dataset, TrainingListener listener) {
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
    int trainSize = dataset.train().count();
    NetShape shape = settings.shape(dataset.train().features());
    Parameters params = Parameters.initial(shape, settings.weightInitStd(), settings.seed());
    settings.dtype().round(params.values());
    BatchStep batchStep = new BatchStep(settings, dataset.train(), shape);
    int perEpoch = settings.stepsPerEpoch(trainSize);
    LossMeter loss = new LossMeter();
    try (EpochEvaluator evaluator =
        new EpochEvaluator(dataset, settings.activation(), listener)) {
      for (long step = 0; step < settings.steps(); step++) {
        double meanLoss = batchStep.compute(params.values(), step);
        double[] sum = batchStep.reduced();
        long done = step + 1;
        var diverged = BatchStep.check(done, meanLoss, params.values(), sum, settings);
        if (diverged.isPresent()) {
          throw diverged.get();
        }
        loss.add(batchStep.lossSum(), batchStep.samples());
        Sgd.step(params.values(), sum, settings.batch(), settings.learningRate(), settings.dtype());
        listener.onLoss(done, meanLoss);
        listener.onStep(done, settings.steps());
        if (done % perEpoch == 0 || done == settings.steps()) {
          double wall = (System.nanoTime() - started) / 1e9;
          int epoch = (int) ((done + perEpoch - 1) / perEpoch);
          evaluator.submit(
              epoch, done, params.copy(), loss.meanAndReset(), done / wall, wall, ClusterStats.LOCAL);
        }
      }
      EpochReport last = evaluator.awaitLast();
      double wall = (System.nanoTime() - started) / 1e9;
      return new TrainingSummary(
          settings,
          settings.steps(),
          last.trainAccuracy(),
          last.testAccuracy(),
          last.loss(),
          wall,
          settings.steps() / wall,
          params.sha256(),
          ClusterStats.LOCAL,
          params);
    }
  }
}
