package dev.backstream.coordinator.training;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.training.ShardKernel;
import dev.backstream.common.training.ShardRange;
import dev.backstream.common.training.ShardTree;

/**
 * Trains in this process without Kafka, through exactly the shard path of a distributed run:
 * the batch of each step from (seed, step), every shard's gradient sum from {@link ShardKernel},
 * the sums added in the order of {@link ShardTree}, then {@link Sgd}. A Kafka run with the same settings ends
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

  /** Runs every step and returns the final evaluation. */
  public TrainingSummary run() throws InterruptedException {
    long started = System.nanoTime();
    int trainSize = dataset.train().count();
    NetShape shape = settings.shape(dataset.train().features());
    Parameters params = Parameters.initial(shape, settings.weightInitStd(), settings.seed());
    ShardKernel kernel = new ShardKernel(dataset.train(), shape, settings.activation());
    double[][] shardSums = new double[settings.shards()][shape.parameterCount()];
    ShardTree tree = new ShardTree(settings.shards());
    int perEpoch = settings.stepsPerEpoch(trainSize);
    LossMeter loss = new LossMeter();
    try (EpochEvaluator evaluator =
        new EpochEvaluator(dataset, settings.activation(), listener)) {
      for (long step = 0; step < settings.steps(); step++) {
        int[] batch = BatchSampler.batch(settings.seed(), step, trainSize, settings.batch());
        double stepLossSum = 0;
        long stepSamples = 0;
        for (int k = 0; k < settings.shards(); k++) {
          ShardRange range = ShardRange.of(settings.batch(), settings.shards(), k);
          BatchStats stats = kernel.compute(params.values(), batch, range, shardSums[k]);
          stepLossSum += stats.lossSum();
          stepSamples += stats.samples();
        }
        loss.add(stepLossSum, stepSamples);
        Sgd.step(params.values(), tree.reduceLeaves(shardSums), settings.batch(), settings.learningRate());
        long done = step + 1;
        listener.onLoss(done, stepLossSum / stepSamples);
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
