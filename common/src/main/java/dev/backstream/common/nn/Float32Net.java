package dev.backstream.common.nn;

import java.util.Arrays;

/**
 * The two-layer network's gradient sum in float32 ({@link Dtype#FLOAT32}): the layers of {@link
 * TwoLayerNet#gradientSum(double[], SparseRows, int[], double[])}, with every product and sum a
 * float operation (never double arithmetic rounded at the end), each sum in one fixed order. The
 * first layer's products ({@code x W1}, {@code dW1 = x^T dh}) go through {@link SparseOps}'s float
 * twin, in its order; the second layer's (50 x 10 per sample) and the bias gradients are plain
 * loops that add in ascending index order (samples, hidden units, classes). {@code exp} and
 * {@code log} are {@link StrictMath}'s of the float argument, rounded to float: the same bits on
 * every JVM.
 *
 * <p>Parameters and gradients are {@code float[]} laid out like {@link Parameters} (a float32
 * {@link FlatVector}'s arrays): nothing is converted between float and double on the way in or
 * out. Keeps per-pass buffers: one instance per thread.
 */
public final class Float32Net {
  private static final float LOG_EPSILON = (float) SoftmaxWithLoss.LOG_EPSILON;

  private final NetShape shape;
  private final Activation activation;
  private final float[][] w1Rows;
  private final float[] b1;
  private final float[] w2;
  /** Column c of W2 as a row, for {@code (y - t) W2^T} summed over classes a row at a time. */
  private final float[][] w2Columns;
  /** {@code rowRead[p] == pass}: row p of {@link #w1Rows} holds this pass's values. */
  private final int[] rowRead;
  private int pass;
  private final float[] b2;
  private final float[] acc;
  private final float[] dW1;
  private float[][] dh = new float[0][];
  private float[] hidden = new float[0];
  private float[] out = new float[0];
  private float[] scores = new float[0];
  private final SparseRows inputTransposed = new SparseRows(0, 0);

  /**
   * @param shape the network's sizes
   * @param activation the hidden layer's activation
   */
  public Float32Net(NetShape shape, Activation activation) {
    this.shape = shape;
    this.activation = activation;
    this.w1Rows = new float[shape.input()][shape.hidden()];
    this.b1 = new float[shape.hidden()];
    this.w2 = new float[shape.hidden() * shape.output()];
    this.w2Columns = new float[shape.output()][shape.hidden()];
    this.rowRead = new int[shape.input()];
    this.b2 = new float[shape.output()];
    this.acc = new float[Math.max(shape.hidden(), shape.output())];
    this.dW1 = new float[shape.input() * shape.hidden()];
  }

  /**
   * The SUM over the batch of the per-sample loss gradients, in float32: what a float32 shard
   * sends.
   *
   * @param values the parameters; not modified
   * @param x the batch, {@code n x input}; each input is rounded to float; not modified
   * @param labels n labels in {@code [0, output)}; not modified
   * @param gradients receives the sum, laid out like the parameters; fully overwritten
   * @return the batch's size, float loss sum and number of correct predictions
   */
  public BatchStats gradientSum(float[] values, SparseRows x, int[] labels, float[] gradients) {
    int count = shape.parameterCount();
    if (values.length != count || gradients.length != count) {
      throw new IllegalArgumentException("parameter vector of " + values.length
          + " values and gradient buffer of " + gradients.length + ": both must be " + count);
    }
    if (x.numCols() != shape.input() || x.numRows() != labels.length) {
      throw new IllegalArgumentException("a batch of " + x.numRows() + "x" + x.numCols() + " with "
          + labels.length + " labels for a network of " + shape.input() + " inputs");
    }
    int n = labels.length;
    int h = shape.hidden();
    int o = shape.output();
    readParameters(values, x);
    if (hidden.length < n * h) {
      hidden = new float[n * h];
      out = new float[n * h];
      scores = new float[n * o];
      dh = new float[n][h];
    }
    // forward: x W1 + b1, activation, (.) W2 + b2
    SparseOps.mult(x, w1Rows, b1, h, hidden, acc);
    if (activation == Activation.RELU) {
      for (int k = 0; k < n * h; k++) {
        out[k] = hidden[k] <= 0f ? 0f : hidden[k];
      }
    } else {
      for (int k = 0; k < n * h; k++) {
        out[k] = 1f / (1f + (float) StrictMath.exp(-hidden[k]));
      }
    }
    // each score adds b2 and then the hidden units' terms in ascending order, ten classes at once
    for (int i = 0; i < n; i++) {
      int base = i * o;
      System.arraycopy(b2, 0, scores, base, o);
      for (int j = 0; j < h; j++) {
        float a = out[i * h + j];
        int w = j * o;
        for (int c = 0; c < o; c++) {
          scores[base + c] += a * w2[w + c];
        }
      }
    }
    // softmax with loss; scores become y - t, the gradient of the summed loss
    float lossSum = 0f;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int label = labels[i];
      if (label < 0 || label >= o) {
        throw new IllegalArgumentException(
            "softmax-with-loss: label " + label + " at row " + i + " is outside [0, " + o + ")");
      }
      int base = i * o;
      float max = Float.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < o; c++) {
        max = Math.max(max, scores[base + c]);
        best = scores[base + c] > scores[base + best] ? c : best;
      }
      correct += best == label ? 1 : 0;
      float sum = 0f;
      for (int c = 0; c < o; c++) {
        float e = (float) StrictMath.exp(scores[base + c] - max);
        scores[base + c] = e;
        sum += e;
      }
      for (int c = 0; c < o; c++) {
        scores[base + c] /= sum;
      }
      lossSum += -(float) StrictMath.log(scores[base + label] + LOG_EPSILON);
      scores[base + label] -= 1f;
    }
    backward(x, n, gradients);
    return new BatchStats(n, lossSum, correct);
  }

  /**
   * Copies the parameters into the kernel's buffers: of W1 only the rows that {@code x}'s non-zero
   * inputs use, each once, as {@link Affine} copies them.
   */
  private void readParameters(float[] values, SparseRows x) {
    int h = shape.hidden();
    int w1 = shape.w1Offset();
    if (++pass == Integer.MAX_VALUE) {
      Arrays.fill(rowRead, 0);
      pass = 1;
    }
    int[] cols = x.cols();
    for (int k = 0; k < x.nonZeros(); k++) {
      int p = cols[k];
      if (rowRead[p] != pass) {
        rowRead[p] = pass;
        System.arraycopy(values, w1 + p * h, w1Rows[p], 0, h);
      }
    }
    System.arraycopy(values, shape.b1Offset(), b1, 0, b1.length);
    System.arraycopy(values, shape.w2Offset(), w2, 0, w2.length);
    System.arraycopy(values, shape.b2Offset(), b2, 0, b2.length);
    int o = shape.output();
    for (int j = 0; j < h; j++) {
      for (int c = 0; c < o; c++) {
        w2Columns[c][j] = w2[j * o + c];
      }
    }
  }

  /** Backward from {@code scores} (holding y - t): every block of {@code gradients}. */
  private void backward(SparseRows x, int n, float[] gradients) {
    int h = shape.hidden();
    int o = shape.output();
    // dW2 = out^T (y - t), db2 = sum of (y - t)'s rows, samples ascending
    float[] dW2 = new float[h * o];
    float[] db2 = new float[o];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < h; j++) {
        float a = out[i * h + j];
        for (int c = 0; c < o; c++) {
          dW2[j * o + c] += a * scores[i * o + c];
        }
      }
      for (int c = 0; c < o; c++) {
        db2[c] += scores[i * o + c];
      }
    }
    // dh = ((y - t) W2^T) through the activation, each unit adding the classes' terms in
    // ascending order, a row at a time; db1 = sum of dh's rows
    float[] db1 = new float[h];
    for (int i = 0; i < n; i++) {
      float[] row = dh[i];
      Arrays.fill(row, 0f);
      for (int c = 0; c < o; c++) {
        float d = scores[i * o + c];
        float[] w = w2Columns[c];
        for (int j = 0; j < h; j++) {
          row[j] += d * w[j];
        }
      }
      int base = i * h;
      if (activation == Activation.RELU) {
        for (int j = 0; j < h; j++) {
          row[j] = hidden[base + j] <= 0f ? 0f : row[j];
        }
      } else {
        for (int j = 0; j < h; j++) {
          float y = out[base + j];
          row[j] = row[j] * (1f - y) * y;
        }
      }
      for (int j = 0; j < h; j++) {
        db1[j] += row[j];
      }
    }
    // dW1 = x^T dh, over the samples where each pixel is lit, ascending
    SparseOps.mult(x.transpose(inputTransposed), dh, null, h, dW1, acc);
    System.arraycopy(dW1, 0, gradients, shape.w1Offset(), dW1.length);
    System.arraycopy(db1, 0, gradients, shape.b1Offset(), db1.length);
    System.arraycopy(dW2, 0, gradients, shape.w2Offset(), dW2.length);
    System.arraycopy(db2, 0, gradients, shape.b2Offset(), db2.length);
  }
}
