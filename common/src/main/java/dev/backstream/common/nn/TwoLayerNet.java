package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * The book's two-layer network: Affine, activation (ReLU or sigmoid), Affine, Softmax-with-Loss.
 *
 * <p>Works on the {@link Parameters} it is given in place, so an optimiser that updates them is
 * seen by the next pass. Dense and {@link SparseRows} inputs give the same bits: a dense batch is
 * made sparse first. Keeps per-pass state and buffers in its layers: one instance per thread.
 */
public final class TwoLayerNet {
  /** Step of the central difference in {@link #numericalGradient}, as in the book. */
  public static final double NUMERICAL_H = 1e-4;

  private final Parameters params;
  private final Activation activation;
  private final Affine affine1;
  private final Layer hidden;
  private final Affine affine2;
  private final SoftmaxWithLoss lastLayer = new SoftmaxWithLoss();
  // Buffers reused from pass to pass: fresh memory costs more than the arithmetic here.
  private final SparseRows denseInput = new SparseRows(0, 0);
  private final DMatrixRMaj hiddenOut = new DMatrixRMaj(0, 0);
  private final SparseRows hiddenSparse = new SparseRows(0, 0);
  private final DMatrixRMaj hiddenGradient = new DMatrixRMaj(0, 0);

  /**
   * The book's constructor: ReLU, weights {@code weightInitStd * N(0, 1)} from seed 0, biases 0.
   */
  public TwoLayerNet(int inputSize, int hiddenSize, int outputSize, double weightInitStd) {
    this(
        Parameters.initial(new NetShape(inputSize, hiddenSize, outputSize), weightInitStd, 0L),
        Activation.RELU);
  }

  /**
   * A network over existing parameters.
   *
   * @param params used in place (not copied)
   * @param activation the hidden layer's activation
   */
  public TwoLayerNet(Parameters params, Activation activation) {
    this.params = params;
    this.activation = activation;
    NetShape shape = params.shape();
    var blocks = shape.blocks();
    this.affine1 = new Affine(params.values(), blocks.get(0), blocks.get(1));
    this.hidden = activation.newLayer();
    this.affine2 = new Affine(params.values(), blocks.get(2), blocks.get(3));
  }

  /** The parameters this network reads (live, not a copy). */
  public Parameters parameters() {
    return params;
  }

  /** The hidden layer's activation. */
  public Activation activation() {
    return activation;
  }

  /** The class scores (before softmax) of each row of {@code x}, as a new matrix. Not modified: x. */
  public DMatrixRMaj predict(DMatrixRMaj x) {
    return predictPass(denseInput.set(x), params.values()).copy();
  }

  /** The class scores of each row of a sparse batch, as a new matrix; the same bits as dense. */
  public DMatrixRMaj predict(SparseRows x) {
    return predictPass(x, params.values()).copy();
  }

  /** The forward pass under {@code values}; the result is a layer's buffer, valid until the next. */
  private DMatrixRMaj predictPass(SparseRows x, double[] values) {
    hidden.forward(affine1.forwardPass(x, values), hiddenOut);
    return affine2.forwardPass(hiddenSparse.set(hiddenOut), values);
  }

  /** The mean cross-entropy loss of the batch. */
  public double loss(DMatrixRMaj x, int[] labels) {
    return lastLayer.forward(predictPass(denseInput.set(x), params.values()), labels);
  }

  /** The fraction of rows whose largest score is at the label; 0 for an empty batch. */
  public double accuracy(DMatrixRMaj x, int[] labels) {
    if (labels.length == 0) {
      return 0.0;
    }
    return (double) correctCount(x, labels) / labels.length;
  }

  /** How many rows of {@code x} have their largest score at the label. */
  public int correctCount(DMatrixRMaj x, int[] labels) {
    return correctCount(denseInput.set(x), labels);
  }

  /** How many rows of {@code x} have their largest score at the label. */
  public int correctCount(SparseRows x, int[] labels) {
    DMatrixRMaj scores = predictPass(x, params.values());
    int classes = scores.numCols;
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      if (SoftmaxWithLoss.argmax(scores.data, i * classes, classes) == labels[i]) {
        right++;
      }
    }
    return right;
  }

  /**
   * The gradient of the mean loss by central differences, {@code (f(p + h) - f(p - h)) / 2h} with
   * {@code h = 1e-4}, one parameter at a time. Slow: two forward passes per parameter. Each
   * parameter is restored exactly afterwards.
   */
  public Parameters numericalGradient(DMatrixRMaj x, int[] labels) {
    double[] p = params.values();
    Parameters grad = Parameters.zeros(params.shape());
    double[] g = grad.values();
    for (int i = 0; i < p.length; i++) {
      double original = p[i];
      p[i] = original + NUMERICAL_H;
      double plus = loss(x, labels);
      p[i] = original - NUMERICAL_H;
      double minus = loss(x, labels);
      p[i] = original;
      g[i] = (plus - minus) / (2 * NUMERICAL_H);
    }
    return grad;
  }

  /** The gradient of the mean loss by backpropagation, as the book's {@code gradient}. */
  public Parameters gradient(DMatrixRMaj x, int[] labels) {
    Parameters grad = Parameters.zeros(params.shape());
    BatchStats stats = gradientSum(x, labels, grad.values());
    if (stats.samples() > 0) {
      double[] g = grad.values();
      for (int i = 0; i < g.length; i++) {
        g[i] /= stats.samples();
      }
    }
    return grad;
  }

  /**
   * The SUM over the batch of the per-sample loss gradients, by backpropagation: what a worker
   * computes for one shard. One kernel, one order: the bits depend only on the parameters and the
   * batch.
   *
   * @param gradients receives the sum, laid out like the parameters; fully overwritten
   * @return the batch's size, loss sum and number of correct predictions
   */
  public BatchStats gradientSum(DMatrixRMaj x, int[] labels, double[] gradients) {
    return gradientSum(params.values(), denseInput.set(x), labels, gradients);
  }

  /** {@link #gradientSum(DMatrixRMaj, int[], double[])} of a sparse batch; the same bits. */
  public BatchStats gradientSum(SparseRows x, int[] labels, double[] gradients) {
    return gradientSum(params.values(), x, labels, gradients);
  }

  /**
   * {@link #gradientSum(SparseRows, int[], double[])} with {@code values} in place of this
   * network's parameters: for a kernel that is handed new parameters every step, which it then
   * need not copy.
   *
   * @param values parameters laid out like this network's; read in place, not modified
   */
  public BatchStats gradientSum(double[] values, SparseRows x, int[] labels, double[] gradients) {
    int count = params.values().length;
    if (values.length != count) {
      throw new IllegalArgumentException(
          "parameter vector of " + values.length + " values: must be " + count);
    }
    if (gradients.length != count) {
      throw new IllegalArgumentException(
          "gradient buffer of " + gradients.length + " values: must be " + count);
    }
    lastLayer.forward(predictPass(x, values), labels);
    DMatrixRMaj dout = affine2.backwardPass(lastLayer.backwardSumPass(), gradients);
    hidden.backward(dout, hiddenGradient);
    affine1.backwardParameters(hiddenGradient, gradients);
    return new BatchStats(labels.length, lastLayer.lossSum(), lastLayer.correct());
  }
}
