package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunEndTest {
  private static final RunRecord RUN = new RunRecord("r", "kafka", new RunSpec(DatasetName.MNIST, 1200, 100, 0.1, 50,
        Activation.RELU, 0, 4, 0.01), 600, 1L);

  private static MetricsRecord epoch(long epoch, long step) {
    return new MetricsRecord("r", epoch, step, 0.9, 0.9, 0.3, 100, 2, 0, 0, Map.of(), 1, 2L);
  }

  @Test
  void theEpochLineOfTheRunsLastStepEndsIt() {
    RunEnd end = new RunEnd();
    assertThat(end.accept(RUN)).isEmpty();
    assertThat(end.accept(epoch(1, 600))).isEmpty();
    assertThat(end.accept(new LossRecord("r", 601, new double[] {0.2}))).isEmpty();
    assertThat(end.accept(epoch(2, 1200))).contains(epoch(2, 1200));
    // a later run line (a coordinator started on the finished run) does not reopen it
    assertThat(end.accept(RUN)).contains(epoch(2, 1200));
  }

  @Test
  void withoutTheRunLineNoEpochEndsTheRun() {
    RunEnd end = new RunEnd();
    assertThat(end.accept(epoch(2, 1200))).isEmpty();
    assertThat(end.finished()).isEmpty();
  }
}
