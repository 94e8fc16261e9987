package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * A batch layer without parameters: element-wise forward and backward over one sample per row.
 * Implementations keep what backward needs from the last forward pass.
 */
public interface Layer {

  /** Computes the layer's output for {@code x}. Not modified: {@code x}. */
  DMatrixRMaj forward(DMatrixRMaj x);

  /** Returns the derivative of the loss with respect to the last forward input. */
  DMatrixRMaj backward(DMatrixRMaj dout);
}
