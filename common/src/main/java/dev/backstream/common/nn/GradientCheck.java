package dev.backstream.common.nn;

import dev.backstream.common.data.LabeledImages;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * The chapter's gradient check: backpropagation against central differences on the first few
 * training images, reported as the mean absolute difference per parameter block.
 */
public final class GradientCheck {
  private GradientCheck() {}

  /**
   * Runs the check on the first {@code images} training images with the book's 784-50-10 network
   * (or {@code hidden} units), weights {@code 0.01 * N(0, 1)} from {@code seed}.
   *
   * @return mean |backprop - numerical| per block, in the order W1, b1, W2, b2
   */
  public static Map<String, Double> run(LabeledImages train, int images, int hidden, Activation activation, long seed) {
    if (images < 1 || images > train.count()) {
      throw new IllegalArgumentException(
          "Invalid value " + images + " for --images: must be in [1, " + train.count() + "]");
    }
    NetShape shape = NetShape.of(train.features(), hidden);
    TwoLayerNet net = new TwoLayerNet(Parameters.initial(shape, 0.01, seed), activation);
    int[] rows = Batches.range(0, images);
    DMatrixRMaj x = Batches.inputs(train, rows, 0, images);
    int[] t = Batches.labels(train, rows, 0, images);
    double[] numerical = net.numericalGradient(x, t).values();
    double[] backprop = net.gradient(x, t).values();
    Map<String, Double> result = new LinkedHashMap<>();
    for (ParamBlock block : shape.blocks()) {
      double sum = 0;
      for (int i = block.offset(); i < block.end(); i++) {
        sum += Math.abs(backprop[i] - numerical[i]);
      }
      result.put(block.name(), sum / block.size());
    }
    return result;
  }
}
