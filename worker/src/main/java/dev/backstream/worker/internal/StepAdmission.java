package dev.backstream.worker.internal;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import java.util.Objects;

/**
 * What a decoded step must satisfy before this worker computes anything from it: of its run
 * ({@link RejectReason#WRONG_RUN}), not behind the step followed ({@link ShardSchedule#behind}),
 * and of a spec that fits this worker's data ({@link RejectReason#WRONG_SPEC}): the same dataset,
 * parameters for a network on images of its pixel count, batch indices inside its training set.
 * Immutable.
 */
final class StepAdmission {
  private final String run;
  private final Dataset data;

  /**
   * @param run the run this worker serves
   * @param data the dataset this worker loaded
   */
  StepAdmission(String run, Dataset data) {
    this.run = Objects.requireNonNull(run, "run");
    this.data = Objects.requireNonNull(data, "data");
  }

  /**
   * Admits {@code f} or says why not.
   *
   * @param newer a step of the same poll admitted before {@code f}; null for none
   */
  Admission admit(StepFrame f, StepFrame newer, ShardSchedule schedule) {
    if (!f.run().equals(run)) {
      return Admission.rejected(RejectReason.WRONG_RUN, "run '" + f.run() + "'");
    }
    Admission behind = schedule.behind(f, newer);
    return behind == Admission.ADMITTED ? fits(f) : behind;
  }

  /** Whether the step's spec fits this worker's data. */
  Admission fits(StepFrame f) {
    RunSpec spec = f.spec();
    LabeledImages train = data.train();
    if (spec.dataset() != data.name()) {
      return wrongSpec("a run on " + spec.dataset().id() + ", this worker loaded "
          + data.name().id() + " (same --dataset as the coordinator?)");
    }
    int params = f.paramsShared().length();
    int expected = spec.shape(train.features()).parameterCount();
    if (params != expected) {
      return wrongSpec(params + " parameters, expected " + expected + " for " + spec.hidden()
          + " hidden units on this worker's " + train.features() + "-pixel images");
    }
    for (int i : f.batchIndices()) {
      if (i >= train.count()) {
        return wrongSpec("batch index " + i + " beyond this worker's " + train.count()
            + " training images (the same data as the coordinator's?)");
      }
    }
    return Admission.ADMITTED;
  }

  private static Admission wrongSpec(String detail) {
    return Admission.rejected(RejectReason.WRONG_SPEC, detail);
  }
}
