package dev.backstream.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepAdmissionTest {
  // 5 images of 2x3 pixels
  private static final LabeledImages TRAIN =
      new LabeledImages(new byte[5 * 6], new byte[5], 2, 3);
  private static final RunSpec SPEC =
      new RunSpec(DatasetName.MNIST, 10, 4, 0.1, 3, Activation.RELU, 0, 2, 0.01);
  private static final String[] OWNERS = {"w/0", "w/0"};

  private final StepAdmission admission =
      new StepAdmission("r", new Dataset(DatasetName.MNIST, TRAIN, TRAIN));
  private final ShardSchedule schedule = new ShardSchedule(List.of("w/0"));

  private static StepFrame step(RunSpec spec, int pixels, int... batch) {
    return new StepFrame("r", 1, 0, spec, new double[NetShape.of(pixels, spec.hidden())
        .parameterCount()], batch, OWNERS);
  }

  private String refusal(StepFrame f) {
    Admission a = admission.admit(f, null, schedule);
    return a instanceof Rejected r ? r.reason() + ": " + r.detail() : "admitted";
  }

  @Test
  void aStepWhoseSpecFitsThisWorkersDataIsAdmitted() {
    assertThat(admission.admit(step(SPEC, 6, 0, 4, 2, 2), null, schedule))
        .isEqualTo(Admission.ADMITTED);
  }

  @Test
  void aSpecThatDoesNotFitTheDataIsOneCountedReason() {
    RunSpec fashion = new RunSpec(DatasetName.FASHION_MNIST, 10, 4, 0.1, 3, Activation.RELU, 0,
        2, 0.01);
    assertThat(refusal(step(fashion, 6, 0, 1))).isEqualTo("WRONG_SPEC: a run on fashion-mnist,"
        + " this worker loaded mnist (same --dataset as the coordinator?)");
    assertThat(refusal(step(SPEC, 784, 0, 1))).isEqualTo("WRONG_SPEC: 2395 parameters, expected"
        + " 61 for 3 hidden units on this worker's 6-pixel images");
    assertThat(refusal(step(SPEC, 6, 0, 5))).startsWith("WRONG_SPEC: batch index 5 beyond this"
        + " worker's 5 training images");
  }

  @Test
  void theRunAndTheStepFollowedComeBeforeTheSpec() {
    StepFrame other = new StepFrame("other", 1, 0, SPEC, new double[1], new int[] {9}, OWNERS);
    assertThat(refusal(other)).isEqualTo("WRONG_RUN: run 'other'");
    schedule.follow(step(SPEC, 6, 0, 1));
    StepFrame older = new StepFrame("r", 0, 3, SPEC, new double[1], new int[] {9}, OWNERS);
    assertThat(refusal(older)).startsWith("STALE_GENERATION");
  }
}
