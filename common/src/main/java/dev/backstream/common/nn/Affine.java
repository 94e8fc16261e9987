package dev.backstream.common.nn;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * The affine layer {@code out = x W + b}, with W and b read in place from a flat parameter vector.
 *
 * <p>Both large products skip zero inputs: about 81% of MNIST's pixels are zero, so the first
 * layer does about a fifth of the dense work. Skipping is exact for finite weights ({@code 0 * w}
 * adds nothing); with an infinite or NaN weight a dense product would give NaN where this gives a
 * finite value. Every sum runs in one fixed order (rows ascending, then inputs ascending), so the
 * bits do not depend on the machine or the JIT.
 *
 * <p>Keeps the last forward input for backward; one instance serves one network replica.
 */
public final class Affine {
  private final double[] params;
  private final ParamBlock weights;
  private final ParamBlock bias;
  private DMatrixRMaj input = new DMatrixRMaj(0, 0);

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
    this.weights = weights;
    this.bias = bias;
  }

  /** Computes {@code x W + b} for a batch {@code x} of shape {@code n x in}. Not modified: x. */
  public DMatrixRMaj forward(DMatrixRMaj x) {
    Shapes.requireCols("affine " + weights.name() + " forward", x, weights.rows());
    input = x;
    int in = weights.rows();
    int out = weights.cols();
    DMatrixRMaj result = new DMatrixRMaj(x.numRows, out);
    double[] xs = x.data;
    double[] o = result.data;
    int w0 = weights.offset();
    for (int i = 0; i < x.numRows; i++) {
      int oBase = i * out;
      System.arraycopy(params, bias.offset(), o, oBase, out);
      int xBase = i * in;
      for (int p = 0; p < in; p++) {
        double v = xs[xBase + p];
        if (v == 0.0) {
          continue;
        }
        int wBase = w0 + p * out;
        for (int j = 0; j < out; j++) {
          o[oBase + j] += v * params[wBase + j];
        }
      }
    }
    return result;
  }

  /**
   * Writes {@code dW = x^T dout} and {@code db = sum of dout's rows} into {@code gradients} at the
   * offsets of W and b, and returns {@code dx = dout W^T}.
   *
   * @param gradients a vector laid out like the parameters; the W and b blocks are overwritten
   */
  public DMatrixRMaj backward(DMatrixRMaj dout, double[] gradients) {
    backwardParameters(dout, gradients);
    int in = weights.rows();
    int out = weights.cols();
    DMatrixRMaj dx = new DMatrixRMaj(dout.numRows, in);
    double[] d = dout.data;
    double[] o = dx.data;
    int w0 = weights.offset();
    for (int i = 0; i < dout.numRows; i++) {
      int dBase = i * out;
      for (int p = 0; p < in; p++) {
        int wBase = w0 + p * out;
        double sum = 0.0;
        for (int j = 0; j < out; j++) {
          sum += d[dBase + j] * params[wBase + j];
        }
        o[i * in + p] = sum;
      }
    }
    return dx;
  }

  /**
   * Like {@link #backward} but without {@code dx}: the first layer's input gradient is never used
   * and would cost as much as the forward product without the zero skipping.
   */
  public void backwardParameters(DMatrixRMaj dout, double[] gradients) {
    Shapes.requireRows("affine " + weights.name() + " backward", dout, input.numRows);
    Shapes.requireCols("affine " + weights.name() + " backward", dout, weights.cols());
    int in = weights.rows();
    int out = weights.cols();
    double[] xs = input.data;
    double[] d = dout.data;
    int w0 = weights.offset();
    int b0 = bias.offset();
    Arrays.fill(gradients, w0, weights.end(), 0.0);
    Arrays.fill(gradients, b0, bias.end(), 0.0);
    for (int i = 0; i < input.numRows; i++) {
      int xBase = i * in;
      int dBase = i * out;
      for (int p = 0; p < in; p++) {
        double v = xs[xBase + p];
        if (v == 0.0) {
          continue;
        }
        int gBase = w0 + p * out;
        for (int j = 0; j < out; j++) {
          gradients[gBase + j] += v * d[dBase + j];
        }
      }
      for (int j = 0; j < out; j++) {
        gradients[b0 + j] += d[dBase + j];
      }
    }
  }
}
