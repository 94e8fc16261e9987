package dev.backstream.worker.internal;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.StepFrame;

/** What a decoded step must satisfy before a worker computes anything from it. */
final class StepChecks {
  private StepChecks() {}

  /** A one-line description of what is wrong with {@code f} for this worker, or null if nothing. */
  static String problem(StepFrame f, LabeledImages train) {
    int batch = f.batchIndices().length;
    if (f.shardCount() > batch) {
      return f.shardCount() + " shards for a batch of " + batch;
    }
    if (f.hidden() < 1) {
      return "hidden size " + f.hidden();
    }
    try {
      Activation.parse(f.activation());
    } catch (IllegalArgumentException e) {
      return "activation '" + f.activation() + "'";
    }
    int expected = NetShape.of(train.features(), f.hidden()).parameterCount();
    if (f.paramsShared().length() != expected) {
      return f.paramsShared().length() + " parameters, expected " + expected
          + " for this worker's " + train.features() + "-pixel images";
    }
    for (int i : f.batchIndices()) {
      if (i >= train.count()) {
        return "batch index " + i + " beyond this worker's " + train.count() + " training images"
            + " (same --dataset as the coordinator?)";
      }
    }
    return null;
  }
}
