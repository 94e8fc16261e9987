package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * A batch layer without parameters: element-wise forward and backward over one sample per row.
 * Implementations keep what backward needs from the last forward pass.
 *
 * <p>The two-argument methods write into a matrix the caller passes, EJML style, so that a
 * training pass can reuse its buffers; the one-argument methods return a new matrix.
 */
public interface Layer {

  /**
   * Computes the layer's output for {@code x} into {@code out}.
   *
   * @param x not modified
   * @param out reshaped to x's shape and overwritten; may be x itself
   */
  void forward(DMatrixRMaj x, DMatrixRMaj out);

  /**
   * Writes the derivative of the loss with respect to the last forward input into {@code dx}.
   *
   * @param dout not modified
   * @param dx reshaped to dout's shape and overwritten; may be dout itself
   */
  void backward(DMatrixRMaj dout, DMatrixRMaj dx);

  /** Computes the layer's output for {@code x}, as a new matrix. Not modified: {@code x}. */
  default DMatrixRMaj forward(DMatrixRMaj x) {
    DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
    forward(x, out);
    return out;
  }

  /** Returns the derivative of the loss with respect to the last forward input. */
  default DMatrixRMaj backward(DMatrixRMaj dout) {
    DMatrixRMaj dx = new DMatrixRMaj(dout.numRows, dout.numCols);
    backward(dout, dx);
    return dx;
  }
}
