package dev.backstream.common.training;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.nn.TwoLayerNet;
import org.ejml.data.DMatrixRMaj;

/**
 * The one kernel that computes a shard's gradient sum: the local trainer and every worker call it,
 * so whoever computes a shard produces the same bits. Holds its own network replica; one instance
 * per thread.
 */
public final class ShardKernel {
  private final LabeledImages train;
  private final Parameters replica;
  private final TwoLayerNet net;

  /**
   * @param train the training set the batch indices point into
   * @param shape the network's sizes
   * @param activation the hidden activation
   */
  public ShardKernel(LabeledImages train, NetShape shape, Activation activation) {
    if (train.features() != shape.input()) {
      throw new IllegalArgumentException(
          "images of " + train.features() + " pixels for a network of " + shape.input() + " inputs");
    }
    this.train = train;
    this.replica = Parameters.zeros(shape);
    this.net = new TwoLayerNet(replica, activation);
  }

  /**
   * Sums the per-sample loss gradients of the samples {@code batch[range.from() .. range.to())}
   * under {@code params}.
   *
   * @param params the step's parameters; not modified
   * @param batch the step's batch (indices into the training set); not modified
   * @param gradientSum receives the sum, fully overwritten; length {@code params.length}
   */
  public BatchStats compute(double[] params, int[] batch, ShardRange range, double[] gradientSum) {
    System.arraycopy(params, 0, replica.values(), 0, params.length);
    DMatrixRMaj x = Batches.inputs(train, batch, range.from(), range.to());
    int[] t = Batches.labels(train, batch, range.from(), range.to());
    return net.gradientSum(x, t, gradientSum);
  }
}
