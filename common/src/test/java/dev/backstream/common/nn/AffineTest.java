package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dense and sparse ways into an affine layer give the same bits, whatever the batch. */
class AffineTest {

  private record Pass(double[] out, double[] dx, double[] gradients) {}

  private static Pass run(Affine affine, Object x, DMatrixRMaj upstream, int paramCount) {
    DMatrixRMaj out =
        x instanceof SparseRows s ? affine.forward(s) : affine.forward((DMatrixRMaj) x);
    double[] gradients = new double[paramCount];
    DMatrixRMaj dx = affine.backward(upstream, gradients);
    return new Pass(out.data, dx.data, gradients);
  }

  private static void assertSameBits(double[] actual, double[] expected) {
    assertThat(SparseRowsTest.bits(actual, actual.length))
        .containsExactly(SparseRowsTest.bits(expected, expected.length));
  }

  @ParameterizedTest
  @CsvSource({"0,4,3", "1,1,1", "1,30,2", "5,7,4", "40,30,5", "100,784,50"})
  void denseAndSparseInputsGiveTheSameBits(int rows, int in, int out) {
    Random random = new Random(345);
    ParamBlock w = new ParamBlock("W", 0, in, out);
    ParamBlock b = new ParamBlock("b", in * out, 1, out);
    double[] params = NumericalCheck.gaussian(1, in * out + out, random).data;
    // row 0 all zero, the rest 80% zero
    DMatrixRMaj x = SparseRowsTest.sparse(rows, in, 0.8, random);
    DMatrixRMaj upstream = NumericalCheck.gaussian(rows, out, random);

    Pass dense = run(new Affine(params, w, b), x, upstream, params.length);
    Pass sparse = run(new Affine(params, w, b), SparseRows.of(x), upstream, params.length);
    assertSameBits(sparse.out(), dense.out());
    assertSameBits(sparse.dx(), dense.dx());
    assertSameBits(sparse.gradients(), dense.gradients());
  }

  @Test
  void anEmptyBatchGivesEmptyOutputsAndZeroGradients() {
    double[] params = {1, 2, 3, 4, 5, 6, 10, 20, 30};
    Affine affine = new Affine(params, new ParamBlock("W", 0, 2, 3), new ParamBlock("b", 6, 1, 3));
    assertThat(affine.forward(new DMatrixRMaj(0, 2)).getNumElements()).isZero();
    double[] gradients = new double[9];
    java.util.Arrays.fill(gradients, 7.0);
    DMatrixRMaj dx = affine.backward(new DMatrixRMaj(0, 3), gradients);
    assertThat(dx.numRows).isZero();
    assertThat(dx.numCols).isEqualTo(2);
    assertThat(gradients).containsOnly(0.0);
  }

  @Test
  void eachPassReadsTheParametersAsTheyAreThen() {
    // A big batch copies all of W, a small one only the rows it uses: whichever pass came
    // before, a pass must see the current weights.
    Random random = new Random(3);
    int in = 20;
    int out = 4;
    ParamBlock w = new ParamBlock("W", 0, in, out);
    ParamBlock b = new ParamBlock("b", in * out, 1, out);
    double[] params = NumericalCheck.gaussian(1, in * out + out, random).data;
    Affine reused = new Affine(params, w, b);
    for (int round = 0; round < 6; round++) {
      int rows = round % 2 == 0 ? 30 : 1;
      DMatrixRMaj x = SparseRowsTest.sparse(rows, in, 0.5, random);
      double[] expected = new Affine(params.clone(), w, b).forward(x).data;
      assertSameBits(reused.forward(x).data, expected);
      for (int i = 0; i < params.length; i++) {
        params[i] += random.nextGaussian();
      }
    }
  }

  @Test
  void forwardReturnsANewMatrixEachTime() {
    double[] params = {1, 2, 3, 4, 5, 6, 10, 20, 30};
    Affine affine = new Affine(params, new ParamBlock("W", 0, 2, 3), new ParamBlock("b", 6, 1, 3));
    DMatrixRMaj first = affine.forward(new DMatrixRMaj(new double[][] {{1, 2}}));
    affine.forward(new DMatrixRMaj(new double[][] {{0, 0}}));
    assertThat(first.data).containsExactly(19, 32, 45);
  }
}
