package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.TestDatasets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chapter's gradient check on the first three real MNIST training images. */
class GradientCheckTest {
  /** What {@code backstream gradcheck} promises for every block. */
  private static final double PASS_BELOW = 1e-6;

  @Test
  void backpropagationAgreesWithNumericalGradientsOnMnist() {
    Map<String, Double> diffs =
        GradientCheck.run(TestDatasets.mnistSubset().train(), 3, 50, Activation.RELU, 0L);
    assertThat(diffs).containsOnlyKeys("W1", "b1", "W2", "b2");
    assertThat(diffs.values()).allSatisfy(d -> assertThat(d).isLessThan(PASS_BELOW));
    // a backprop that were off would differ by far more; zero would mean nothing was compared
    assertThat(diffs.values()).allSatisfy(d -> assertThat(d).isGreaterThan(0.0));
  }

  @Test
  void rejectsMoreImagesThanTheSetHas() {
    var train = TestDatasets.mnistSubset().train().head(2);
    assertThatThrownBy(() -> GradientCheck.run(train, 3, 50, Activation.RELU, 0L))
        .hasMessage("Invalid value 3 for --images: must be in [1, 2]");
  }
}
