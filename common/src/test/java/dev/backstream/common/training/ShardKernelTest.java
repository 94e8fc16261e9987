package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.Batches;
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
}
