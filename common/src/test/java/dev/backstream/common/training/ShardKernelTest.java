package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.nn.TwoLayerNet;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShardKernelTest {

  @ParameterizedTest
  @EnumSource(Activation.class)
  void givesTheBitsOfTheBooksDenseGradientSum(Activation activation) {
    LabeledImages train = TestDatasets.mnistSubset().train();
    NetShape shape = NetShape.MNIST;
    Random random = new Random(345);
    ShardKernel kernel = new ShardKernel(train, shape, activation);
    Parameters params = Parameters.initial(shape, 0.01, 1);
    for (int step = 0; step < 4; step++) {
      int[] batch = random.ints(100, 0, train.count()).toArray();
      ShardRange range = ShardRange.of(100, 4, step % 4);
      double[] fromKernel = new double[shape.parameterCount()];
      BatchStats stats = kernel.compute(params.values(), batch, range, fromKernel);

      TwoLayerNet book = new TwoLayerNet(params.copy(), activation);
      double[] fromBook = new double[shape.parameterCount()];
      BatchStats expected =
          book.gradientSum(
              Batches.inputs(train, batch, range.from(), range.to()),
              Batches.labels(train, batch, range.from(), range.to()),
              fromBook);
      assertThat(Parameters.sha256(fromKernel)).isEqualTo(Parameters.sha256(fromBook));
      assertThat(stats).isEqualTo(expected);
      // the next step's parameters, so that the kernel's reused buffers meet new values
      for (int i = 0; i < fromKernel.length; i++) {
        params.values()[i] -= 0.1 * fromKernel[i] / range.size();
      }
    }
  }

  /**
   * The float32 kernel against the float64 one on the same (float) parameters: every value it
   * gives is a float, each within float rounding of the float64 gradient, and the bits depend
   * only on the parameters and the batch (a fresh kernel and a reused one agree).
   */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void float32GivesFloatsCloseToFloat64AndTheSameBitsEveryTime(Activation activation) {
    LabeledImages train = TestDatasets.mnistSubset().train();
    NetShape shape = NetShape.MNIST;
    Random random = new Random(346);
    ShardKernel reused = new ShardKernel(train, shape, activation, Dtype.FLOAT32);
    ShardKernel float64 = new ShardKernel(train, shape, activation);
    FlatVector params =
        FlatVector.rounded(Dtype.FLOAT32, Parameters.initial(shape, 0.01, 1).values());
    for (int step = 0; step < 4; step++) {
      int[] batch = random.ints(100, 0, train.count()).toArray();
      ShardRange range = ShardRange.of(100, 4, step % 4);
      FlatVector sum32 = params.zerosLike();
      BatchStats stats = reused.compute(params, batch, range, sum32);
      FlatVector again = params.zerosLike();
      new ShardKernel(train, shape, activation, Dtype.FLOAT32).compute(params, batch, range, again);
      double[] g64 = new double[params.length()];
      BatchStats stats64 = float64.compute(params.toDoubles(), batch, range, g64);

      assertThat(again).isEqualTo(sum32);
      float[] g32 = sum32.floats();
      double largest = 0;
      for (double v : g64) {
        largest = Math.max(largest, Math.abs(v));
      }
      for (int i = 0; i < g32.length; i++) {
        assertThat((double) g32[i]).as("value %d", i).isCloseTo(g64[i], within(FLOAT32_TOLERANCE * largest));
      }
      assertThat(stats.samples()).isEqualTo(stats64.samples());
      assertThat(stats.correct()).isEqualTo(stats64.correct());
      assertThat(stats.lossSum()).isCloseTo(stats64.lossSum(), within(1e-4 * stats64.lossSum()));
      float[] p = params.floats();
      for (int i = 0; i < p.length; i++) {
        p[i] = p[i] - 0.1f * (g32[i] / range.size());
      }
    }
  }

  /** Float32's error relative to the gradient's largest value: a few thousand float ulps. */
  private static final double FLOAT32_TOLERANCE = 1e-4;
}
