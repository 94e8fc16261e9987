package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Softmax followed by the cross-entropy loss against integer labels, as one layer: its backward is
 * the famously simple {@code y - t}. Uses {@link StrictMath} for exp and log so that losses and
 * gradients are the same bits on every JVM.
 */
public final class SoftmaxWithLoss {
  /** Added inside the log as the book does, so that a zero probability costs a finite loss. */
  static final double LOG_EPSILON = 1e-7;

  private final DMatrixRMaj probabilities = new DMatrixRMaj(0, 0);
  private final DMatrixRMaj gradient = new DMatrixRMaj(0, 0);
  private int[] labels = new int[0];
  private double lossSum;
  private int correct;

  /**
   * Computes the mean cross-entropy of {@code scores} ({@code n x classes}) against {@code
   * labels} (n values in {@code [0, classes)}). Not modified: scores, labels.
   */
  public double forward(DMatrixRMaj scores, int[] labels) {
    if (labels.length != scores.numRows) {
      throw new IllegalArgumentException(
          "softmax-with-loss: " + labels.length + " labels for " + scores.numRows + " rows");
    }
    this.labels = labels.clone();
    softmax(scores, probabilities);
    int classes = scores.numCols;
    double sum = 0.0;
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i];
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException(
            "softmax-with-loss: label " + label + " at row " + i + " is outside [0, " + classes + ")");
      }
      sum += -StrictMath.log(probabilities.data[i * classes + label] + LOG_EPSILON);
      if (argmax(scores.data, i * classes, classes) == label) {
        right++;
      }
    }
    lossSum = sum;
    correct = right;
    return labels.length == 0 ? 0.0 : sum / labels.length;
  }

  /** The sum of the per-sample losses of the last forward pass. */
  public double lossSum() {
    return lossSum;
  }

  /** How many rows of the last forward pass had their largest score at the label. */
  public int correct() {
    return correct;
  }

  /** The book's backward: {@code (y - t) / n}, the gradient of the mean loss. */
  public DMatrixRMaj backward() {
    return backwardScaled(labels.length == 0 ? 0.0 : 1.0 / labels.length).copy();
  }

  /** {@code y - t}: the gradient of the summed loss, what a shard sends back. */
  public DMatrixRMaj backwardSum() {
    return backwardScaled(1.0).copy();
  }

  /** {@link #backwardSum()} in this layer's own buffer, valid until the next call. */
  DMatrixRMaj backwardSumPass() {
    return backwardScaled(1.0);
  }

  private DMatrixRMaj backwardScaled(double scale) {
    DMatrixRMaj dx = gradient;
    dx.setTo(probabilities);
    int classes = dx.numCols;
    for (int i = 0; i < labels.length; i++) {
      dx.data[i * classes + labels[i]] -= 1.0;
    }
    if (scale != 1.0) {
      for (int k = 0; k < dx.getNumElements(); k++) {
        dx.data[k] *= scale;
      }
    }
    return dx;
  }

  /** Row-wise softmax, shifted by each row's maximum so that exp cannot overflow. */
  public static DMatrixRMaj softmax(DMatrixRMaj scores) {
    DMatrixRMaj y = new DMatrixRMaj(scores.numRows, scores.numCols);
    softmax(scores, y);
    return y;
  }

  /**
   * {@link #softmax(DMatrixRMaj)} into {@code y}.
   *
   * @param scores not modified
   * @param y reshaped and overwritten; must not be scores
   */
  public static void softmax(DMatrixRMaj scores, DMatrixRMaj y) {
    y.reshape(scores.numRows, scores.numCols);
    int classes = scores.numCols;
    for (int i = 0; i < scores.numRows; i++) {
      int base = i * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, scores.data[base + j]);
      }
      double sum = 0.0;
      for (int j = 0; j < classes; j++) {
        double e = StrictMath.exp(scores.data[base + j] - max);
        y.data[base + j] = e;
        sum += e;
      }
      for (int j = 0; j < classes; j++) {
        y.data[base + j] /= sum;
      }
    }
  }

  /** Index of the first largest value of {@code values[from, from + length)}, like numpy's argmax. */
  public static int argmax(double[] values, int from, int length) {
    int best = 0;
    for (int j = 1; j < length; j++) {
      if (values[from + j] > values[from + best]) {
        best = j;
      }
    }
    return best;
  }
}
