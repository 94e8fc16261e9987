package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import org.junit.jupiter.api.Test;

class FrameRecordsTest {

  @Test
  void stepFrameCopiesArraysInAndOut() {
    double[] params = {1, 2};
    int[] batch = {5};
    String[] owners = {"a"};
    StepFrame frame = new StepFrame("r", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), params, batch, owners);

    params[0] = 9;
    batch[0] = 9;
    owners[0] = "z";
    frame.params()[1] = 9;

    assertThat(frame.params()).containsExactly(1, 2);
    assertThat(frame.batchIndices()).containsExactly(5);
    assertThat(frame.shardOwner(0)).isEqualTo("a");
    assertThat(frame.paramsView().isReadOnly()).isTrue();
  }

  @Test
  void equalityComparesArrayContents() {
    StepFrame a = Frames.smallStep();
    StepFrame b = Frames.smallStep();
    StepFrame positiveZero = new StepFrame("r", 3, 7, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 2, 0.01), new double[] {1.5, 0.0}, new int[] {4, 2},
        new String[] {"w1", ""});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(positiveZero);
    assertThat(Frames.smallGradient()).isEqualTo(Frames.smallGradient())
        .hasSameHashCodeAs(Frames.smallGradient());
  }

  @Test
  void toStringIsShort() {
    assertThat(Frames.smallStep()).hasToString(
        "StepFrame[run=r, generation=3, step=7, params=2, batch=2, owners=[w1, ], hidden=1, "
        + "activation=relu, dtype=float64]");
    assertThat(Frames.smallGradient()).hasToString("GradientFrame[run=r, generation=3, step=7, "
        + "shards=1+1, sender=w, samples=2, lossSum=0.25, correct=1, gradient=2 float64]");
  }

  @Test
  void constructorsRejectOutOfRangeValues() {
    assertThatThrownBy(() -> new StepFrame("r", 0, -1, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), new double[0], new int[0], new String[] {""}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value -1 for step: must be at least 0");
    assertThatThrownBy(() -> new StepFrame("r", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 2, 0.01), new double[0], new int[0], new String[] {""}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shardOwners has 1 entries but the spec has 2 shards");
    assertThatThrownBy(() -> new StepFrame("r", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), new double[0], new int[] {-3},
        new String[] {""}))
        .hasMessage("Invalid value -3 for batchIndices[0]: must be at least 0");
    assertThatThrownBy(() -> new StepFrame("r", 0, 0, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 1, 0.01), new double[0], new int[0],
        new String[] {null}))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new GradientFrame("r", 0, 0, 0, 1, "w", 2, 0, 3, new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 3 for correctCount: must be in [0, 2] (the sample count)");
    assertThatThrownBy(() -> new GradientFrame("r", 0, 0, -1, 1, "w", 0, 0, 0, new double[0]))
        .hasMessage("Invalid value -1 for firstShard: must be at least 0");
    assertThatThrownBy(() -> new GradientFrame("r", 0, 0, 0, 0, "w", 0, 0, 0, new double[0]))
        .hasMessage("Invalid value 0 for shardCount: must be at least 1");
  }
}
