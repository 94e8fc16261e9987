package dev.backstream.coordinator.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.LossRecord;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import dev.backstream.common.protocol.RunSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsLinesTest {
  /** 250 steps, 120 per epoch (1,200 samples of 10): epochs end at 120, 240 and 250. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 250, 10, 0.1, 50, Activation.RELU, 3, 2, 0.01);

  private final List<MetricsLine> lines = new ArrayList<>();
  private final MetricsLines metrics =
      new MetricsLines("r", "local", SETTINGS, 1_200, lines::add, () -> 42L);

  @Test
  void theSettingsComeFirstThenLossBlocksCutAtHundredsAndEpochEnds() {
    for (long step = 1; step <= 250; step++) {
      metrics.onLoss(step, step / 1000.0);
    }

    assertThat(lines.get(0)).isEqualTo(new RunRecord("r", "local", new RunSpec(DatasetName.MNIST, 250, 10, 0.1, 50,
        Activation.RELU, 3, 2, 0.01), 120, 42));
    List<LossRecord> losses = lines.stream().skip(1).map(LossRecord.class::cast).toList();
    assertThat(losses).extracting(LossRecord::firstStep).containsExactly(1L, 101L, 121L, 201L, 241L);
    assertThat(losses).extracting(LossRecord::lastStep).containsExactly(100L, 120L, 200L, 240L, 250L);
    assertThat(losses.get(1).losses()).hasSize(20).startsWith(0.101).endsWith(0.120);
  }

  @Test
  void aGapInTheStepsStartsANewBlock() {
    metrics.onLoss(1, 1.0);
    metrics.onLoss(2, 2.0);
    metrics.onLoss(50, 3.0);
    metrics.onLoss(100, 4.0);

    assertThat(lines.subList(1, lines.size())).containsExactly(
        new LossRecord("r", 1, new double[] {1, 2}), new LossRecord("r", 50, new double[] {3}),
        new LossRecord("r", 100, new double[] {4}));
  }

  @Test
  void anEpochReportBecomesAnEpochLine() {
    metrics.onEpoch(new EpochReport(1, 120, 0.9, 0.8, 0.5, 100, 1.2,
        new ClusterStats(2, 3, 4, java.util.Map.of("DUPLICATE", 4L))));

    assertThat(lines).hasSize(2).first().isInstanceOf(RunRecord.class);
    assertThat(lines.get(1)).isEqualTo(new MetricsRecord("r", 1, 120, 0.9, 0.8, 0.5, 100, 2, 3, 4,
        java.util.Map.of("DUPLICATE", 4L), 1.2, 42));
  }
}
