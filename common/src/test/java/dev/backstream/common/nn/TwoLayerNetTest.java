package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TwoLayerNetTest {
  /** The book reports differences around 1e-10 to 1e-13 for this check. */
  private static final double GRADCHECK_TOLERANCE = 1e-7;

  private static DMatrixRMaj sparseInputs(int rows, int cols, Random random) {
    DMatrixRMaj x = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < x.data.length; i++) {
      // like MNIST: mostly zero pixels, the rest in (0, 1]
      x.data[i] = random.nextDouble() < 0.8 ? 0.0 : (1 + random.nextInt(255)) / 255.0;
    }
    return x;
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void backpropagationMatchesNumericalGradient(Activation activation) {
    Random random = new Random(42);
    NetShape shape = new NetShape(12, 5, 4);
    TwoLayerNet net = new TwoLayerNet(Parameters.initial(shape, 0.5, 1), activation);
    DMatrixRMaj x = sparseInputs(3, 12, random);
    int[] t = {0, 3, 1};
    double[] backprop = net.gradient(x, t).values();
    double[] numerical = net.numericalGradient(x, t).values();
    for (var block : shape.blocks()) {
      double sum = 0;
      for (int i = block.offset(); i < block.end(); i++) {
        sum += Math.abs(backprop[i] - numerical[i]);
      }
      assertThat(sum / block.size()).as(block.name()).isLessThan(GRADCHECK_TOLERANCE);
    }
  }

  @Test
  void gradientSumIsBatchSizeTimesTheMeanGradient() {
    Random random = new Random(3);
    TwoLayerNet net = new TwoLayerNet(Parameters.initial(new NetShape(6, 4, 3), 0.3, 9), Activation.RELU);
    DMatrixRMaj x = sparseInputs(5, 6, random);
    int[] t = {0, 1, 2, 1, 0};
    double[] sum = new double[net.parameters().values().length];
    BatchStats stats = net.gradientSum(x, t, sum);
    double[] mean = net.gradient(x, t).values();
    for (int i = 0; i < sum.length; i++) {
      assertThat(sum[i] / 5).isEqualTo(mean[i]);
    }
    assertThat(stats.samples()).isEqualTo(5);
    assertThat(stats.lossSum() / 5).isCloseTo(net.loss(x, t), org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void sameParametersAndBatchGiveTheSameBits() {
    Random random = new Random(5);
    DMatrixRMaj x = sparseInputs(7, 784, random);
    int[] t = random.ints(7, 0, 10).toArray();
    double[] a = new TwoLayerNet(Parameters.initial(NetShape.MNIST, 0.01, 0), Activation.RELU).gradient(x, t).values();
    double[] b = new TwoLayerNet(Parameters.initial(NetShape.MNIST, 0.01, 0), Activation.RELU).gradient(x, t).values();
    assertThat(Parameters.sha256(a)).isEqualTo(Parameters.sha256(b));
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void sparseAndDenseBatchesGiveTheSameBits(Activation activation) {
    Random random = new Random(8);
    DMatrixRMaj x = sparseInputs(20, 784, random);
    java.util.Arrays.fill(x.data, 784, 2 * 784, 0.0); // an all-zero image
    int[] t = random.ints(20, 0, 10).toArray();
    TwoLayerNet net = new TwoLayerNet(Parameters.initial(NetShape.MNIST, 0.01, 0), activation);
    double[] dense = new double[NetShape.MNIST.parameterCount()];
    double[] sparse = new double[NetShape.MNIST.parameterCount()];
    BatchStats denseStats = net.gradientSum(x, t, dense);
    BatchStats sparseStats = net.gradientSum(SparseRows.of(x), t, sparse);
    assertThat(Parameters.sha256(sparse)).isEqualTo(Parameters.sha256(dense));
    assertThat(sparseStats).isEqualTo(denseStats);
    assertThat(net.predict(SparseRows.of(x)).data).containsExactly(net.predict(x).data);
    assertThat(net.correctCount(SparseRows.of(x), t)).isEqualTo(net.correctCount(x, t));
  }

  @Test
  void parametersPassedInGiveTheBitsOfANetworkOverThem() {
    Random random = new Random(9);
    DMatrixRMaj x = sparseInputs(10, 784, random);
    int[] t = random.ints(10, 0, 10).toArray();
    Parameters p = Parameters.initial(NetShape.MNIST, 0.01, 4);
    TwoLayerNet own = new TwoLayerNet(p.copy(), Activation.RELU);
    TwoLayerNet other = new TwoLayerNet(Parameters.zeros(NetShape.MNIST), Activation.RELU);
    double[] expected = new double[p.values().length];
    double[] actual = new double[p.values().length];
    own.gradientSum(x, t, expected);
    other.gradientSum(p.values(), SparseRows.of(x), t, actual);
    assertThat(Parameters.sha256(actual)).isEqualTo(Parameters.sha256(expected));
    assertThat(other.parameters().values()).containsOnly(0.0);
  }

  @Test
  void compiledCodeGivesTheBitsOfTheFirstRun() {
    // The first passes run interpreted, later ones as C1 and then C2 code with vector
    // instructions: all must give the same bits (no fused multiply-add, one summation order).
    Random random = new Random(10);
    DMatrixRMaj x = sparseInputs(5, 784, random);
    int[] t = random.ints(5, 0, 10).toArray();
    TwoLayerNet net = new TwoLayerNet(Parameters.initial(NetShape.MNIST, 0.01, 0), Activation.RELU);
    SparseRows sparse = SparseRows.of(x);
    double[] g = new double[NetShape.MNIST.parameterCount()];
    net.gradientSum(sparse, t, g);
    String first = Parameters.sha256(g);
    for (int i = 0; i < 3000; i++) {
      net.gradientSum(sparse, t, g);
    }
    assertThat(Parameters.sha256(g)).isEqualTo(first);
  }

  @Test
  void predictReturnsANewMatrixEachTime() {
    Random random = new Random(12);
    TwoLayerNet net = new TwoLayerNet(Parameters.initial(new NetShape(6, 4, 3), 0.3, 9), Activation.RELU);
    DMatrixRMaj x = sparseInputs(2, 6, random);
    DMatrixRMaj first = net.predict(x);
    double[] kept = first.data.clone();
    net.predict(sparseInputs(2, 6, random));
    assertThat(first.data).containsExactly(kept);
  }

  @Test
  void booksConstructorInitialisesLikeTheBook() {
    TwoLayerNet net = new TwoLayerNet(784, 50, 10, 0.01);
    Parameters p = net.parameters();
    assertThat(p.values()).hasSize(784 * 50 + 50 + 50 * 10 + 10);
    assertThat(p.block("b1")).containsOnly(0.0);
    assertThat(p.block("b2")).containsOnly(0.0);
    double[] w1 = p.block("W1");
    double sumSq = 0;
    for (double v : w1) {
      sumSq += v * v;
    }
    // 39,200 draws of 0.01 * N(0, 1): the sample deviation is within 2% of 0.01
    assertThat(Math.sqrt(sumSq / w1.length)).isBetween(0.0098, 0.0102);
  }

  @Test
  void accuracyCountsArgmaxHits() {
    // identity-like weights: the class score is the input itself
    NetShape shape = new NetShape(3, 3, 3);
    Parameters p = Parameters.zeros(shape);
    double[] v = p.values();
    for (int i = 0; i < 3; i++) {
      v[shape.w1Offset() + i * 3 + i] = 1;
      v[shape.w2Offset() + i * 3 + i] = 1;
    }
    TwoLayerNet net = new TwoLayerNet(p, Activation.RELU);
    DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 0, 0}, {0, 0.5, 0}, {0, 0, 0.2}, {0.9, 0.1, 0}});
    assertThat(net.accuracy(x, new int[] {0, 1, 2, 1})).isEqualTo(0.75);
  }
}
