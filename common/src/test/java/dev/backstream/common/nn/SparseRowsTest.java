package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparseRowsTest {

  /** Random values, zero with probability {@code zeros}, and row 0 all zero when there is one. */
  static DMatrixRMaj sparse(int rows, int cols, double zeros, Random random) {
    DMatrixRMaj x = new DMatrixRMaj(rows, cols);
    for (int i = 1; i < rows; i++) {
      for (int p = 0; p < cols; p++) {
        x.set(i, p, random.nextDouble() < zeros ? 0.0 : random.nextGaussian());
      }
    }
    return x;
  }

  /** The stored entries, exactly: shape, row offsets, columns and the values' bits. */
  static void assertSameEntries(SparseRows actual, SparseRows expected) {
    assertThat(actual.numRows()).isEqualTo(expected.numRows());
    assertThat(actual.numCols()).isEqualTo(expected.numCols());
    int nnz = expected.nonZeros();
    assertThat(actual.nonZeros()).isEqualTo(nnz);
    assertThat(Arrays.copyOf(actual.rowStart(), actual.numRows() + 1))
        .containsExactly(Arrays.copyOf(expected.rowStart(), expected.numRows() + 1));
    assertThat(Arrays.copyOf(actual.cols(), nnz)).containsExactly(Arrays.copyOf(expected.cols(), nnz));
    assertThat(bits(actual.vals(), nnz)).containsExactly(bits(expected.vals(), nnz));
  }

  static long[] bits(double[] values, int length) {
    long[] b = new long[length];
    for (int i = 0; i < length; i++) {
      b[i] = Double.doubleToRawLongBits(values[i]);
    }
    return b;
  }

  @Test
  void storesTheNonZeroEntriesRowByRow() {
    // [[0, 2, 0],
    //  [0, 0, 0],
    //  [1, 0, 3]]
    SparseRows s = SparseRows.of(new DMatrixRMaj(new double[][] {{0, 2, 0}, {0, 0, 0}, {1, 0, 3}}));
    assertThat(s.numRows()).isEqualTo(3);
    assertThat(s.numCols()).isEqualTo(3);
    assertThat(s.nonZeros()).isEqualTo(3);
    assertThat(Arrays.copyOf(s.rowStart(), 4)).containsExactly(0, 1, 1, 3);
    assertThat(Arrays.copyOf(s.cols(), 3)).containsExactly(1, 0, 2);
    assertThat(Arrays.copyOf(s.vals(), 3)).containsExactly(2, 1, 3);
  }

  @Test
  void dropsNegativeZeroAndKeepsNaN() {
    SparseRows s = SparseRows.of(new DMatrixRMaj(new double[][] {{-0.0, Double.NaN, 0.0}}));
    assertThat(s.nonZeros()).isEqualTo(1);
    assertThat(s.cols()[0]).isEqualTo(1);
    assertThat(s.vals()[0]).isNaN();
  }

  @ParameterizedTest
  @CsvSource({"0,0", "0,5", "5,0", "1,1", "3,7", "10,784"})
  void densifiesBackToTheSameMatrix(int rows, int cols) {
    DMatrixRMaj x = sparse(rows, cols, 0.8, new Random(345));
    assertThat(SparseRows.of(x).toDense().data).containsExactly(x.data);
  }

  @Test
  void transposeHoldsTheColumnsRowsAscending() {
    SparseRows s = SparseRows.of(new DMatrixRMaj(new double[][] {{0, 2, 0}, {0, 0, 0}, {1, 0, 3}}));
    SparseRows t = s.transpose();
    assertThat(t.numRows()).isEqualTo(3);
    assertThat(t.numCols()).isEqualTo(3);
    assertThat(Arrays.copyOf(t.rowStart(), 4)).containsExactly(0, 1, 2, 3);
    assertThat(Arrays.copyOf(t.cols(), 3)).containsExactly(2, 0, 2);
    assertThat(Arrays.copyOf(t.vals(), 3)).containsExactly(1, 2, 3);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "0,5", "5,0", "1,1", "4,3", "100,784"})
  void transposeMatchesTheDenseTranspose(int rows, int cols) {
    DMatrixRMaj x = sparse(rows, cols, 0.8, new Random(7));
    DMatrixRMaj xt = new DMatrixRMaj(cols, rows);
    org.ejml.dense.row.CommonOps_DDRM.transpose(x, xt);
    assertSameEntries(SparseRows.of(x).transpose(), SparseRows.of(xt));
  }

  @Test
  void reusedContainersGiveWhatFreshOnesGive() {
    Random random = new Random(11);
    SparseRows reused = new SparseRows(0, 0);
    SparseRows reusedTranspose = new SparseRows(0, 0);
    // growing, shrinking, empty and all-zero shapes in turn, each into the same two containers
    int[][] shapes = {{2, 3}, {50, 40}, {3, 2}, {0, 4}, {60, 10}, {1, 1}};
    for (int[] shape : shapes) {
      DMatrixRMaj x = sparse(shape[0], shape[1], 0.5, random);
      assertSameEntries(reused.set(x), SparseRows.of(x));
      assertSameEntries(reused.transpose(reusedTranspose), SparseRows.of(x).transpose());
    }
    DMatrixRMaj zeros = new DMatrixRMaj(4, 6);
    assertSameEntries(reused.set(zeros), new SparseRows(4, 6));
  }

  @Test
  void transposeRefusesToWriteIntoItself() {
    SparseRows s = new SparseRows(2, 2);
    assertThatThrownBy(() -> s.transpose(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be the matrix itself");
  }
}
