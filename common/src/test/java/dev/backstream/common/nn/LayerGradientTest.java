package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.Supplier;
import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every layer's backward against central differences on random inputs of several shapes. */
class LayerGradientTest {
  /** Central differences with h = 1e-5 agree with exact derivatives to about 1e-9 here. */
  private static final double TOLERANCE = 1e-7;

  /**
   * The loss takes log(y + 1e-7) while backward is the exact y - t of log(y): they differ by about
   * 1e-7 / y, a few 1e-6 for the smallest probabilities drawn here.
   */
  private static final double SOFTMAX_TOLERANCE = 5e-5;

  @ParameterizedTest
  @CsvSource({"1,1", "1,4", "3,2", "4,4", "5,7"})
  void reluBackwardMatchesNumerical(int rows, int cols) {
    checkActivation(Relu::new, rows, cols, 11);
  }

  @ParameterizedTest
  @CsvSource({"1,1", "1,4", "3,2", "4,4", "5,7"})
  void sigmoidBackwardMatchesNumerical(int rows, int cols) {
    checkActivation(Sigmoid::new, rows, cols, 12);
  }

  private static void checkActivation(Supplier<Layer> make, int rows, int cols, long seed) {
    Random random = new Random(seed);
    DMatrixRMaj x = NumericalCheck.gaussian(rows, cols, random);
    for (int i = 0; i < x.data.length; i++) {
      // keep away from relu's kink, where the derivative is not defined
      if (Math.abs(x.data[i]) < 1e-3) {
        x.data[i] = 0.5;
      }
    }
    DMatrixRMaj w = NumericalCheck.gaussian(rows, cols, random);
    Layer layer = make.get();
    layer.forward(x);
    double[] backprop = layer.backward(w).data;
    double[] numerical =
        NumericalCheck.gradient(x.data, () -> NumericalCheck.weighted(make.get().forward(x), w));
    assertThat(NumericalCheck.maxAbsDiff(backprop, numerical)).isLessThan(TOLERANCE);
  }

  @Test
  void reluCutsNegativesAndZerosAndPassesNaN() {
    Relu relu = new Relu();
    DMatrixRMaj y = relu.forward(new DMatrixRMaj(new double[][] {{-2, -0.0, 0.0, 3, Double.NaN}}));
    assertThat(SparseRowsTest.bits(y.data, 5))
        .containsExactly(SparseRowsTest.bits(new double[] {0.0, 0.0, 0.0, 3, Double.NaN}, 5));
    DMatrixRMaj dx = relu.backward(new DMatrixRMaj(new double[][] {{5, 6, 7, 8, 9}}));
    assertThat(dx.data).containsExactly(0, 0, 0, 8, 9);
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "1,3,2", "4,3,2", "5,6,4", "2,1,5"})
  void affineBackwardMatchesNumerical(int rows, int in, int out) {
    Random random = new Random(345);
    ParamBlock w = new ParamBlock("W", 0, in, out);
    ParamBlock b = new ParamBlock("b", in * out, 1, out);
    double[] params = NumericalCheck.gaussian(1, in * out + out, random).data;
    DMatrixRMaj x = NumericalCheck.gaussian(rows, in, random);
    x.data[0] = 0.0; // the zero-skipping path must give the same derivatives
    DMatrixRMaj upstream = NumericalCheck.gaussian(rows, out, random);
    Affine affine = new Affine(params, w, b);
    affine.forward(x);
    double[] grads = new double[params.length];
    DMatrixRMaj dx = affine.backward(upstream, grads);

    double[] numericalParams =
        NumericalCheck.gradient(
            params, () -> NumericalCheck.weighted(new Affine(params, w, b).forward(x), upstream));
    double[] numericalX =
        NumericalCheck.gradient(
            x.data, () -> NumericalCheck.weighted(new Affine(params, w, b).forward(x), upstream));
    assertThat(NumericalCheck.maxAbsDiff(grads, numericalParams)).isLessThan(TOLERANCE);
    assertThat(NumericalCheck.maxAbsDiff(dx.data, numericalX)).isLessThan(TOLERANCE);
  }

  @Test
  void affineForwardIsXTimesWPlusB() {
    // x = [[1, 2]], W = [[1, 2, 3], [4, 5, 6]], b = [10, 20, 30] -> [19, 32, 45]
    double[] params = {1, 2, 3, 4, 5, 6, 10, 20, 30};
    Affine affine = new Affine(params, new ParamBlock("W", 0, 2, 3), new ParamBlock("b", 6, 1, 3));
    DMatrixRMaj out = affine.forward(new DMatrixRMaj(new double[][] {{1, 2}}));
    assertThat(out.data).containsExactly(19, 32, 45);
  }

  @Test
  void affineRejectsAnInputOfTheWrongWidth() {
    Affine affine =
        new Affine(new double[9], new ParamBlock("W", 0, 2, 3), new ParamBlock("b", 6, 1, 3));
    assertThatThrownBy(() -> affine.forward(new DMatrixRMaj(4, 5)))
        .isInstanceOf(MatrixDimensionException.class)
        .hasMessageContaining("expected 2 columns, got 4x5");
  }

  @ParameterizedTest
  @CsvSource({"1,2", "3,3", "4,10"})
  void softmaxWithLossBackwardMatchesNumerical(int rows, int classes) {
    Random random = new Random(7);
    DMatrixRMaj scores = NumericalCheck.gaussian(rows, classes, random);
    int[] labels = random.ints(rows, 0, classes).toArray();
    SoftmaxWithLoss layer = new SoftmaxWithLoss();
    layer.forward(scores, labels);
    double[] backprop = layer.backward().data;
    double[] numerical =
        NumericalCheck.gradient(scores.data, () -> new SoftmaxWithLoss().forward(scores, labels));
    assertThat(NumericalCheck.maxAbsDiff(backprop, numerical)).isLessThan(SOFTMAX_TOLERANCE);
  }

  @Test
  void softmaxWithLossOfAUniformGuessIsLogOfTheClassCount() {
    SoftmaxWithLoss layer = new SoftmaxWithLoss();
    double loss = layer.forward(new DMatrixRMaj(2, 4), new int[] {0, 3});
    assertThat(loss).isCloseTo(-Math.log(0.25 + SoftmaxWithLoss.LOG_EPSILON), within(1e-15));
    assertThat(layer.backwardSum().data)
        .containsExactly(-0.75, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, -0.75);
  }

  @Test
  void softmaxStaysFiniteForHugeScores() {
    DMatrixRMaj y = SoftmaxWithLoss.softmax(new DMatrixRMaj(new double[][] {{1000, 1000, -1000}}));
    assertThat(y.data).containsExactly(0.5, 0.5, 0.0);
  }

  @Test
  void softmaxWithLossRejectsALabelOutsideTheClasses() {
    assertThatThrownBy(() -> new SoftmaxWithLoss().forward(new DMatrixRMaj(1, 3), new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label 3 at row 0 is outside [0, 3)");
  }
}
