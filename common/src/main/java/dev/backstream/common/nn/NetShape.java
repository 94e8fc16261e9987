package dev.backstream.common.nn;

import dev.backstream.common.data.LabeledImages;

/**
 * The sizes of a two-layer network and where each parameter block sits in the flat parameter
 * vector: W1 (input x hidden, row-major), b1 (hidden), W2 (hidden x output), b2 (output), in that
 * order.
 *
 * @param input number of input features (784 for MNIST), at least 1
 * @param hidden number of hidden units, at least 1
 * @param output number of classes, at least 1
 */
public record NetShape(int input, int hidden, int output) {

  /** The book's MNIST network: 784-50-10. */
  public static final NetShape MNIST = of(784, 50);

  /**
   * The network that classifies images of {@code input} pixels with {@code hidden} hidden units:
   * one output per class of the datasets ({@link LabeledImages#CLASSES}).
   */
  public static NetShape of(int input, int hidden) {
    return new NetShape(input, hidden, LabeledImages.CLASSES);
  }

  public NetShape {
    requirePositive("input", input);
    requirePositive("hidden", hidden);
    requirePositive("output", output);
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for " + name + " size: must be at least 1");
    }
  }

  /** The same network with another hidden size. */
  public NetShape withHidden(int hiddenUnits) {
    return new NetShape(input, hiddenUnits, output);
  }

  /** Offset of W1 in the flat vector. */
  public int w1Offset() {
    return 0;
  }

  /** Offset of b1 in the flat vector. */
  public int b1Offset() {
    return input * hidden;
  }

  /** Offset of W2 in the flat vector. */
  public int w2Offset() {
    return b1Offset() + hidden;
  }

  /** Offset of b2 in the flat vector. */
  public int b2Offset() {
    return w2Offset() + hidden * output;
  }

  /** Length of the flat parameter vector (39,760 for 784-50-10). */
  public int parameterCount() {
    return b2Offset() + output;
  }

  /** The named blocks of the flat vector, in order. */
  public java.util.List<ParamBlock> blocks() {
    return java.util.List.of(
        new ParamBlock("W1", w1Offset(), input, hidden),
        new ParamBlock("b1", b1Offset(), 1, hidden),
        new ParamBlock("W2", w2Offset(), hidden, output),
        new ParamBlock("b2", b2Offset(), 1, output));
  }
}
