package dev.backstream.common.nn;

import java.util.Arrays;
import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;

/**
 * The affine layer {@code out = x W + b}, with W and b read in place from a flat parameter vector.
 *
 * <p>All three products ({@code x W}, {@code dW = x^T dout}, {@code dx = dout W^T}) run through
 * {@link SparseOps#mult}, so they skip zero inputs and sum in its one fixed order: {@code out[i,
 * j]} adds the terms of row {@code i}'s non-zero inputs in ascending input order, {@code dW[p, j]}
 * the terms of the rows where input {@code p} is non-zero in ascending row order, four terms at a
 * time. About 81% of MNIST's pixels are zero, so the first layer does about a fifth of the dense
 * work. Skipping is exact for finite weights ({@code 0 * w} adds nothing); with an infinite or NaN
 * weight a dense product would give NaN where this gives a finite value. A dense input is turned
 * into {@link SparseRows} first, so the book's dense API and the training kernel give the same
 * bits.
 *
 * <p>Keeps the last forward input (and the parameter vector that pass read) for backward, and
 * reuses its buffers from pass to pass; one instance serves one network replica.
 */
public final class Affine {
  /** Entries of x per row of W above which copying all of W beats finding the used rows. */
  private static final int COPY_ALL_ENTRIES_PER_ROW = 6;

  private final double[] params;
  private final ParamBlock weights;
  private final ParamBlock bias;
  /** Row p of W, copied out of the pass's parameter vector when an input needs it. */
  private final double[][] weightRows;
  /** {@code rowCopied[p] == pass}: row p of {@link #weightRows} holds this pass's values. */
  private final int[] rowCopied;
  private int pass;
  private final double[] acc;
  private double[] passParams;
  private SparseRows input;
  private final SparseRows denseInput = new SparseRows(0, 0);
  private final SparseRows inputTransposed = new SparseRows(0, 0);
  private final SparseRows doutSparse = new SparseRows(0, 0);
  private double[][] doutRows = new double[0][];
  /** Row j of W^T, for {@code dx = dout W^T}; made on the first full backward. */
  private double[][] transposedRows;
  private final DMatrixRMaj out = new DMatrixRMaj(0, 0);
  private final DMatrixRMaj dx = new DMatrixRMaj(0, 0);

  /**
   * @param params the flat parameter vector, read on every pass (not copied)
   * @param weights where W ({@code in x out}) sits in {@code params}
   * @param bias where b ({@code 1 x out}) sits in {@code params}
   */
  public Affine(double[] params, ParamBlock weights, ParamBlock bias) {
    if (bias.size() != weights.cols()) {
      throw new IllegalArgumentException(
          "bias " + bias.name() + " has " + bias.size() + " values, weights " + weights.name()
              + " have " + weights.cols() + " columns");
    }
    this.params = params;
    this.passParams = params;
    this.weights = weights;
    this.bias = bias;
    this.weightRows = new double[weights.rows()][weights.cols()];
    this.rowCopied = new int[weights.rows()];
    this.acc = new double[Math.max(weights.rows(), weights.cols())];
    this.input = new SparseRows(0, weights.rows());
  }

  /**
   * Computes {@code x W + b} for a batch {@code x} of shape {@code n x in}, as a new matrix.
   * Not modified: x.
   */
  public DMatrixRMaj forward(DMatrixRMaj x) {
    Shapes.requireCols("affine " + weights.name() + " forward", x, weights.rows());
    return forwardPass(denseInput.set(x), params).copy();
  }

  /**
   * Computes {@code x W + b} for a sparse batch {@code x} of shape {@code n x in}, as a new
   * matrix; the same bits as the dense {@link #forward(DMatrixRMaj)}. Keeps {@code x} for
   * backward: not to be modified before.
   */
  public DMatrixRMaj forward(SparseRows x) {
    return forwardPass(x, params).copy();
  }

  /**
   * The forward pass with W and b read from {@code values} (laid out like this layer's parameter
   * vector), which backward then reads too; the result is this layer's own buffer, valid until
   * its next forward.
   */
  DMatrixRMaj forwardPass(SparseRows x, double[] values) {
    if (x.numCols() != weights.rows()) {
      throw new MatrixDimensionException(
          "affine " + weights.name() + " forward: expected " + weights.rows() + " columns, got "
              + x.numRows() + "x" + x.numCols());
    }
    input = x;
    passParams = values;
    int width = weights.cols();
    copyUsedRows(x, values);
    out.reshape(x.numRows(), width);
    SparseOps.mult(x, weightRows, values, bias.offset(), width, out.data, 0, acc);
    return out;
  }

  /**
   * Copies the rows of W that {@code x}'s non-zero inputs use into {@link #weightRows}. Finding
   * the used rows took 3.7 ns per entry of x, copying all of W1 (784 x 50) 18 us, as long as
   * finding them among about six entries per row of W. So a batch with more entries than that (a
   * batch of 100 MNIST images has 14,600) copies every row in one sweep, and a smaller one (a
   * shard of 25 images has about 3,700, the gradient check's three images 450) only the rows it
   * uses, each once.
   */
  private void copyUsedRows(SparseRows x, double[] values) {
    int width = weights.cols();
    int w0 = weights.offset();
    if (x.nonZeros() >= COPY_ALL_ENTRIES_PER_ROW * weights.rows()) {
      for (int p = 0; p < weights.rows(); p++) {
        System.arraycopy(values, w0 + p * width, weightRows[p], 0, width);
      }
      return;
    }
    if (++pass == Integer.MAX_VALUE) {
      // after 2^31 passes, start the marks again rather than let an old mark look current
      Arrays.fill(rowCopied, 0);
      pass = 1;
    }
    int[] cols = x.cols();
    int nnz = x.nonZeros();
    for (int k = 0; k < nnz; k++) {
      int p = cols[k];
      if (rowCopied[p] != pass) {
        rowCopied[p] = pass;
        System.arraycopy(values, w0 + p * width, weightRows[p], 0, width);
      }
    }
  }

  /**
   * Writes {@code dW = x^T dout} and {@code db = sum of dout's rows} into {@code gradients} at the
   * offsets of W and b, and returns {@code dx = dout W^T} as a new matrix.
   *
   * @param dout not modified
   * @param gradients a vector laid out like the parameters; the W and b blocks are overwritten
   */
  public DMatrixRMaj backward(DMatrixRMaj dout, double[] gradients) {
    return backwardPass(dout, gradients).copy();
  }

  /** {@link #backward} with the result in this layer's own buffer, valid until the next call. */
  DMatrixRMaj backwardPass(DMatrixRMaj dout, double[] gradients) {
    backwardParameters(dout, gradients);
    int in = weights.rows();
    int width = weights.cols();
    if (transposedRows == null) {
      transposedRows = new double[width][in];
    }
    double[] w = passParams;
    int w0 = weights.offset();
    for (int p = 0; p < in; p++) {
      int wBase = w0 + p * width;
      for (int j = 0; j < width; j++) {
        transposedRows[j][p] = w[wBase + j];
      }
    }
    dx.reshape(dout.numRows, in);
    SparseOps.mult(doutSparse.set(dout), transposedRows, null, 0, in, dx.data, 0, acc);
    return dx;
  }

  /**
   * Like {@link #backward} but without {@code dx}: the first layer's input gradient is never used
   * and would cost as much as the forward product without the zero skipping.
   *
   * @param dout not modified
   * @param gradients a vector laid out like the parameters; the W and b blocks are overwritten
   */
  public void backwardParameters(DMatrixRMaj dout, double[] gradients) {
    Shapes.requireRows("affine " + weights.name() + " backward", dout, input.numRows());
    Shapes.requireCols("affine " + weights.name() + " backward", dout, weights.cols());
    int n = dout.numRows;
    int width = weights.cols();
    double[] d = dout.data;
    if (doutRows.length != n) {
      doutRows = new double[n][width];
    }
    for (int i = 0; i < n; i++) {
      System.arraycopy(d, i * width, doutRows[i], 0, width);
    }
    // Every row of dW is written: zeros where the input was zero in every sample.
    SparseOps.mult(
        input.transpose(inputTransposed), doutRows, null, 0, width, gradients, weights.offset(),
        acc);
    int b0 = bias.offset();
    Arrays.fill(gradients, b0, bias.end(), 0.0);
    for (int i = 0; i < n; i++) {
      int dBase = i * width;
      for (int j = 0; j < width; j++) {
        gradients[b0 + j] += d[dBase + j];
      }
    }
  }
}
