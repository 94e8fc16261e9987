package dev.backstream.common.nn;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A matrix stored by rows as its non-zero entries only (compressed sparse rows): row {@code i}'s
 * entries are {@code (cols[k], vals[k])} for {@code k} in {@code [rowStart[i], rowStart[i+1])},
 * columns ascending.
 *
 * <p>The affine layers' input: about 81% of MNIST's pixels are zero, and both of the first
 * layer's big products only need the rest. "Zero" means {@code v == 0.0}, so {@code -0.0} is
 * dropped like {@code 0.0} and NaN is kept.
 *
 * <p>A mutable container like EJML's {@link DMatrixRMaj}: the functions that write one ({@link
 * #set}, {@link #transpose(SparseRows)}, {@link Batches#sparseInputs(dev.backstream.common.data.LabeledImages,
 * int[], int, int, SparseRows)}) reshape it and reuse its arrays, so that a training pass
 * allocates nothing once warm; fresh memory costs more here than the arithmetic. Not
 * thread-safe.
 */
public final class SparseRows {
  private int numRows;
  private int numCols;
  private int[] rowStart;
  private int[] cols;
  private double[] vals;
  /** Scratch for {@link #transpose(SparseRows)} writing into this matrix. */
  private int[] cursor = new int[0];

  /** An {@code numRows x numCols} matrix of zeros. */
  public SparseRows(int numRows, int numCols) {
    if (numRows < 0 || numCols < 0) {
      throw new IllegalArgumentException("sparse rows of shape " + numRows + "x" + numCols);
    }
    this.numRows = numRows;
    this.numCols = numCols;
    this.rowStart = new int[numRows + 1];
    this.cols = new int[0];
    this.vals = new double[0];
  }

  /** The non-zero entries of {@code x}, row by row. Not modified: x. */
  public static SparseRows of(DMatrixRMaj x) {
    return new SparseRows(0, 0).set(x);
  }

  /**
   * Makes this the sparse form of {@code x}, reusing this container's arrays.
   *
   * @param x not modified
   * @return this
   */
  public SparseRows set(DMatrixRMaj x) {
    int rows = x.numRows;
    int width = x.numCols;
    double[] d = x.data;
    reshape(rows, width);
    int k = 0;
    for (int i = 0; i < rows; i++) {
      rowStart[i] = k;
      // One slot to spare: the branch-free loop writes every value and only advances past the
      // non-zero ones, so it also writes the slot after the row's last entry.
      ensureCapacity(k + width + 1);
      int[] c = cols;
      double[] v = vals;
      int base = i * width;
      for (int p = 0; p < width; p++) {
        double value = d[base + p];
        c[k] = p;
        v[k] = value;
        // Branch-free: which inputs are zero is data, and a mispredicted branch at every change
        // between zero and non-zero would cost more than the copy.
        k += value != 0.0 ? 1 : 0;
      }
    }
    rowStart[rows] = k;
    return this;
  }

  /** The number of rows (samples). */
  public int numRows() {
    return numRows;
  }

  /** The number of columns (features per sample). */
  public int numCols() {
    return numCols;
  }

  /** The number of stored (non-zero) entries. */
  public int nonZeros() {
    return rowStart[numRows];
  }

  /** The transpose as a new matrix; see {@link #transpose(SparseRows)}. */
  public SparseRows transpose() {
    return transpose(new SparseRows(0, 0));
  }

  /**
   * Writes the transpose into {@code dst}: row {@code p} of the result holds column {@code p} of
   * this matrix, rows ascending. What {@code dW = x^T dout} needs to sum each weight's terms at
   * once.
   *
   * @param dst reshaped and overwritten; must not be this matrix
   * @return dst
   */
  public SparseRows transpose(SparseRows dst) {
    if (dst == this) {
      throw new IllegalArgumentException("transpose: dst must not be the matrix itself");
    }
    int nnz = nonZeros();
    dst.reshape(numCols, numRows);
    dst.ensureCapacity(nnz);
    int[] start = dst.rowStart;
    Arrays.fill(start, 0, numCols + 1, 0);
    for (int k = 0; k < nnz; k++) {
      start[cols[k] + 1]++;
    }
    for (int p = 0; p < numCols; p++) {
      start[p + 1] += start[p];
    }
    if (dst.cursor.length < numCols) {
      dst.cursor = new int[numCols];
    }
    int[] next = dst.cursor;
    System.arraycopy(start, 0, next, 0, numCols);
    int[] tCols = dst.cols;
    double[] tVals = dst.vals;
    // Rows ascending, so that every row of the result lists its entries in ascending order.
    for (int i = 0; i < numRows; i++) {
      int end = rowStart[i + 1];
      for (int k = rowStart[i]; k < end; k++) {
        int slot = next[cols[k]]++;
        tCols[slot] = i;
        tVals[slot] = vals[k];
      }
    }
    return dst;
  }

  /** The same matrix stored densely, as a new matrix. */
  public DMatrixRMaj toDense() {
    DMatrixRMaj x = new DMatrixRMaj(numRows, numCols);
    for (int i = 0; i < numRows; i++) {
      for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
        x.data[i * numCols + cols[k]] = vals[k];
      }
    }
    return x;
  }

  /** Sets the shape and empties every row, keeping the arrays. */
  void reshape(int rows, int width) {
    numRows = rows;
    numCols = width;
    if (rowStart.length < rows + 1) {
      rowStart = new int[rows + 1];
    }
    rowStart[rows] = 0;
    for (int i = 0; i < rows; i++) {
      rowStart[i] = 0;
    }
  }

  /** Grows the entry arrays to at least {@code capacity}, keeping their contents. */
  void ensureCapacity(int capacity) {
    if (cols.length < capacity) {
      int grown = Math.max(capacity, cols.length + (cols.length >> 1));
      cols = Arrays.copyOf(cols, grown);
      vals = Arrays.copyOf(vals, grown);
    }
  }

  /** Live row offsets, at least {@code numRows + 1} long; for the writers and kernels here. */
  int[] rowStart() {
    return rowStart;
  }

  /** Live column indices, possibly longer than {@link #nonZeros()}. */
  int[] cols() {
    return cols;
  }

  /** Live values, possibly longer than {@link #nonZeros()}. */
  double[] vals() {
    return vals;
  }

  @Override
  public String toString() {
    return "SparseRows[" + numRows + "x" + numCols + ", " + nonZeros() + " non-zero]";
  }
}
