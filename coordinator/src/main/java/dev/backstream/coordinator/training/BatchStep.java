package dev.backstream.coordinator.training;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.training.ShardKernel;
import dev.backstream.common.training.ShardRange;
import dev.backstream.common.training.ShardTree;
import java.util.Optional;

/**
 * One whole step computed in this process: the batch of (seed, step), every shard's gradient sum
 * from {@link ShardKernel} in shard order, and the test of whether the step diverged. The local
 * trainer runs every step through it; the coordinator runs a step through it only to tell an
 * honest non-finite gradient (the run diverged) from a forged one (poison), so both decide
 * divergence by the same code and stop on the same step.
 *
 * <p>Not thread-safe: it reuses its buffers.
 */
public final class BatchStep {
  private final RunSpec settings;
  private final int trainSize;
  private final ShardKernel kernel;
  private final ShardTree tree;
  private final FlatVector[] shardSums;
  /** The update {@link #divergence} computes to test it. */
  private final FlatVector next;
  private double lossSum;
  private long samples;

  /**
   * @param settings the run's settings
   * @param train the training set the batch indices range over
   * @param shape the network's shape
   */
  public BatchStep(RunSpec settings, LabeledImages train, NetShape shape) {
    this.settings = settings;
    this.trainSize = train.count();
    this.kernel = new ShardKernel(train, shape, settings.activation(), settings.dtype());
    this.tree = new ShardTree(settings.shards(), settings.dtype());
    this.shardSums = new FlatVector[settings.shards()];
    for (int k = 0; k < shardSums.length; k++) {
      shardSums[k] = FlatVector.zeros(settings.dtype(), shape.parameterCount());
    }
    this.next = FlatVector.zeros(settings.dtype(), shape.parameterCount());
  }

  /**
   * Computes every shard of step {@code step} (counting from 0) with {@code params}.
   *
   * @param params of the run's dtype; not modified
   * @return the step's mean per-sample loss
   */
  public double compute(FlatVector params, long step) {
    int[] batch = BatchSampler.batch(settings.seed(), step, trainSize, settings.batch());
    samples = 0;
    double[] shardLosses = new double[settings.shards()];
    for (int k = 0; k < settings.shards(); k++) {
      ShardRange range = ShardRange.of(settings.batch(), settings.shards(), k);
      BatchStats stats = kernel.compute(params, batch, range, shardSums[k]);
      shardLosses[k] = stats.lossSum();
      samples += stats.samples();
    }
    // in the tree's order, as a Kafka run's coordinator adds its workers' loss sums
    lossSum = tree.sumScalars(tree.root(), shardLosses);
    return lossSum / samples;
  }

  /** The last computed step's gradient sum, added in the tree's order. */
  public FlatVector reduced() {
    return tree.reduceLeaves(shardSums);
  }

  /** The last computed step's loss sum over its samples. */
  public double lossSum() {
    return lossSum;
  }

  /** The last computed step's sample count. */
  public long samples() {
    return samples;
  }

  /**
   * Computes step {@code step} (counting from 0) and says whether it diverges.
   *
   * @param params the step's parameters; not modified
   * @return the divergence, or empty if its loss and its update are finite
   */
  public Optional<DivergedException> divergence(FlatVector params, long step) {
    double meanLoss = compute(params, step);
    return update(step + 1, meanLoss, params, reduced(), settings, next);
  }

  /**
   * The SGD update of a step and the divergence test: a step whose mean loss or whose update is
   * not finite ends the run. The update goes to {@code next}, so the parameters stay those of the
   * last finite step; the caller takes {@code next} as its parameters if the step did not diverge.
   *
   * @param done the step counting from 1
   * @param meanLoss its mean loss
   * @param params its parameters; not modified
   * @param gradientSum its summed gradient; not modified
   * @param next receives the updated parameters, diverged or not; fully overwritten
   */
  public static Optional<DivergedException> update(long done, double meanLoss, FlatVector params,
      FlatVector gradientSum, RunSpec settings, FlatVector next) {
    // the update first, whatever the loss: a caller that goes on anyway applies it
    boolean finite =
        Sgd.step(params, gradientSum, settings.batch(), settings.learningRate(), next);
    if (!Double.isFinite(meanLoss) || !finite) {
      return Optional.of(new DivergedException(done, meanLoss));
    }
    return Optional.empty();
  }
}
