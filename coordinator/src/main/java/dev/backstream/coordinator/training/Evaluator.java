package dev.backstream.coordinator.training;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.nn.SparseRows;
import dev.backstream.common.nn.TwoLayerNet;

/**
 * Accuracy over a whole image set, in chunks so that no more than {@value #CHUNK} rows are ever
 * held as doubles (as {@link SparseRows}: only their non-zero pixels).
 */
public final class Evaluator {
  static final int CHUNK = 1000;

  private Evaluator() {}

  /** The fraction of {@code images} the parameters classify right; 0 for an empty set. */
  public static double accuracy(Parameters params, Activation activation, LabeledImages images) {
    if (images.count() == 0) {
      return 0.0;
    }
    TwoLayerNet net = new TwoLayerNet(params, activation);
    SparseRows chunk = new SparseRows(0, images.features());
    long right = 0;
    for (int from = 0; from < images.count(); from += CHUNK) {
      int to = Math.min(images.count(), from + CHUNK);
      int[] rows = Batches.range(from, to);
      right += net.correctCount(Batches.sparseInputs(images, rows, 0, rows.length, chunk),
          Batches.labels(images, rows, 0, rows.length));
    }
    return (double) right / images.count();
  }
}
