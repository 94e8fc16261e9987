package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The product's values and, because the model's bits depend on it, its summation order. */
class SparseOpsTest {
  /** 2^-53: half an ulp of 1.0, so {@code 1.0 + TINY} rounds (to even) back to 1.0. */
  private static final double TINY = Math.ulp(1.0) / 2;

  @Test
  void multipliesAndAddsTheInitialRow() {
    // [[1, 0, 2]] x [[1, 2], [3, 4], [5, 6]] + [10, 20] = [[21, 34]]
    SparseRows a = SparseRows.of(new DMatrixRMaj(new double[][] {{1, 0, 2}}));
    double[][] b = {{1, 2}, {3, 4}, {5, 6}};
    double[] c = new double[2];
    SparseOps.mult(a, b, new double[] {10, 20}, 0, 2, c, 0, new double[2]);
    assertThat(c).containsExactly(21, 34);
  }

  @Test
  void sumsFourTermsPairwiseBeforeAddingThem() {
    // one at a time, 1 + 2^-54 + 2^-53 + 2^-53 stays 1.0; as (1 + 2^-54) + (2^-53 + 2^-53) the
    // two small terms first make 2^-52, which 1.0 keeps
    double[] c = productOfTerms(1.0, TINY / 2, TINY, TINY);
    assertThat(c[0]).isEqualTo(1.0 + 2 * TINY);
  }

  @Test
  void sumsALastGroupOfTwoBeforeAddingIt() {
    // the first four make exactly 1.0; the last two are added as (2^-53 + 2^-53)
    double[] c = productOfTerms(1.0, TINY / 2, TINY / 2, TINY / 2, TINY, TINY);
    assertThat(c[0]).isEqualTo(1.0 + 2 * TINY);
  }

  /** {@code c = [1, ..., 1] x terms} (as a column), from zero, through the kernel. */
  private static double[] productOfTerms(double... terms) {
    DMatrixRMaj ones = new DMatrixRMaj(1, terms.length);
    java.util.Arrays.fill(ones.data, 1.0);
    double[][] b = new double[terms.length][];
    for (int p = 0; p < terms.length; p++) {
      b[p] = new double[] {terms[p]};
    }
    double[] c = new double[1];
    SparseOps.mult(SparseRows.of(ones), b, null, 0, 1, c, 0, new double[1]);
    return c;
  }

  @ParameterizedTest
  @CsvSource({"0,5,3", "1,1,1", "3,9,4", "20,13,50", "100,784,50", "7,50,784"})
  void givesTheBitsOfTheDocumentedOrder(int rows, int inner, int width) {
    Random random = new Random(345);
    SparseRows a = SparseRows.of(SparseRowsTest.sparse(rows, inner, 0.7, random));
    double[][] b = new double[inner][width];
    for (double[] row : b) {
      for (int j = 0; j < width; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[] init = new double[width + 3];
    for (int j = 0; j < init.length; j++) {
      init[j] = random.nextGaussian();
    }
    double[] c = new double[5 + rows * width];
    SparseOps.mult(a, b, init, 3, width, c, 5, new double[width]);
    double[] expected = reference(a, b, init, 3, width);
    for (int i = 0; i < rows * width; i++) {
      assertThat(Double.doubleToRawLongBits(c[5 + i]))
          .as("element %d", i)
          .isEqualTo(Double.doubleToRawLongBits(expected[i]));
    }
  }

  /** The class comment's order, one element at a time, written as plainly as possible. */
  private static double[] reference(SparseRows a, double[][] b, double[] init, int initOffset, int width) {
    double[] c = new double[a.numRows() * width];
    int[] start = a.rowStart();
    for (int i = 0; i < a.numRows(); i++) {
      for (int j = 0; j < width; j++) {
        double sum = init[initOffset + j];
        int k = start[i];
        int end = start[i + 1];
        for (; end - k >= 4; k += 4) {
          sum += (term(a, b, k, j) + term(a, b, k + 1, j)) + (term(a, b, k + 2, j) + term(a, b, k + 3, j));
        }
        if (end - k == 3) {
          sum += (term(a, b, k, j) + term(a, b, k + 1, j)) + term(a, b, k + 2, j);
        } else if (end - k == 2) {
          sum += term(a, b, k, j) + term(a, b, k + 1, j);
        } else if (end - k == 1) {
          sum += term(a, b, k, j);
        }
        c[i * width + j] = sum;
      }
    }
    return c;
  }

  private static double term(SparseRows a, double[][] b, int k, int j) {
    return a.vals()[k] * b[a.cols()[k]][j];
  }
}
