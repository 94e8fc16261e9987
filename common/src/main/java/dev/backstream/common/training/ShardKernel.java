package dev.backstream.common.training;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.Float32Net;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.nn.SparseRows;
import dev.backstream.common.nn.TwoLayerNet;

/**
 * The one kernel that computes a shard's gradient sum: the local trainer and every worker call it,
 * so whoever computes a shard produces the same bits. Reads the step's parameters in place and
 * builds the batch's inputs as {@link SparseRows} straight from the image bytes. Holds per-pass
 * scratch: one instance per thread.
 */
public final class ShardKernel {
  private final LabeledImages train;
  private final TwoLayerNet net;
  /** The float32 kernel, or null in a float64 run. */
  private final Float32Net net32;
  private final SparseRows inputs;

  /**
   * @param train the training set the batch indices point into
   * @param shape the network's sizes
   * @param activation the hidden activation
   */
  public ShardKernel(LabeledImages train, NetShape shape, Activation activation) {
    this(train, shape, activation, Dtype.FLOAT64);
  }

  /**
   * @param train the training set the batch indices point into
   * @param shape the network's sizes
   * @param activation the hidden activation
   * @param dtype the number type the run computes in
   */
  public ShardKernel(LabeledImages train, NetShape shape, Activation activation, Dtype dtype) {
    if (train.features() != shape.input()) {
      throw new IllegalArgumentException(
          "images of " + train.features() + " pixels for a network of " + shape.input() + " inputs");
    }
    this.train = train;
    // Only the network's structure and scratch are used: compute passes the step's parameters.
    this.net = new TwoLayerNet(Parameters.zeros(shape), activation);
    this.inputs = new SparseRows(0, shape.input());
    this.net32 = dtype == Dtype.FLOAT32 ? new Float32Net(shape, activation) : null;
  }

  /**
   * Sums the per-sample loss gradients of the samples {@code batch[range.from() .. range.to())}
   * under {@code params}, in the kernel's number type.
   *
   * @param params the step's parameters, of the kernel's dtype; not modified
   * @param batch the step's batch (indices into the training set); not modified
   * @param gradientSum receives the sum, fully overwritten; of the kernel's dtype and length
   *     {@code params.length()}
   * @throws IllegalStateException if a vector is not of the kernel's dtype
   */
  public BatchStats compute(
      FlatVector params, int[] batch, ShardRange range, FlatVector gradientSum) {
    SparseRows x = Batches.sparseInputs(train, batch, range.from(), range.to(), inputs);
    int[] t = Batches.labels(train, batch, range.from(), range.to());
    return net32 != null
        ? net32.gradientSum(params.floats(), x, t, gradientSum.floats())
        : net.gradientSum(params.doubles(), x, t, gradientSum.doubles());
  }

  /**
   * {@link #compute(FlatVector, int[], ShardRange, FlatVector)} of a float64 kernel on plain
   * arrays.
   *
   * @param params not modified
   * @param gradientSum receives the sum, fully overwritten; length {@code params.length}
   */
  public BatchStats compute(double[] params, int[] batch, ShardRange range, double[] gradientSum) {
    return compute(FlatVector.wrap(params), batch, range, FlatVector.wrap(gradientSum));
  }
}
