package dev.backstream.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveMetricsTest {
  private final LiveMetrics metrics = new LiveMetrics("r1");

  private Map<String, Double> scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.write(out);
    return PrometheusText.samples(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void countersStartAtZeroAndGaugesWaitForTheirFirstValue() throws IOException {
    Map<String, Double> s = scrape();
    assertThat(s).containsKeys("backstream_shards_resent_total{run=\"r1\"}",
            "backstream_frames_rejected_total{reason=\"BAD_CRC\",run=\"r1\"}")
        .allSatisfy((sample, value) ->
            assertThat(sample).matches("backstream_(shards_resent|frames_rejected)_total\\{.*"));
    assertThat(s.values()).containsOnly(0.0);

    metrics.onStep(1, 60);
    assertThat(scrape()).containsEntry("backstream_step{run=\"r1\"}", 1.0)
        .doesNotContainKey("backstream_test_accuracy{run=\"r1\"}");
  }

  @Test
  void stepsAndEpochsSetTheGaugesAndTotalsBecomeCounters() throws IOException {
    metrics.onLoss(20, 0.75);
    metrics.onStep(20, 60);
    metrics.onEpoch(new EpochReport(1, 20, 0.8, 0.7, 0.9, 12.5, 1.6,
        new ClusterStats(2, 3, 5, Map.of("BAD_CRC", 4L, "WRONG_RUN", 1L))));
    metrics.onEpoch(new EpochReport(2, 40, 0.85, 0.75, 0.5, 13.0, 3.1,
        new ClusterStats(1, 5, 6, Map.of("BAD_CRC", 4L, "WRONG_RUN", 2L))));

    Map<String, Double> s = scrape();
    assertThat(s).containsEntry("backstream_step{run=\"r1\"}", 20.0)
        .containsEntry("backstream_steps_planned{run=\"r1\"}", 60.0)
        .containsEntry("backstream_batch_loss{run=\"r1\"}", 0.75)
        .containsEntry("backstream_epoch{run=\"r1\"}", 2.0)
        .containsEntry("backstream_train_accuracy{run=\"r1\"}", 0.85)
        .containsEntry("backstream_test_accuracy{run=\"r1\"}", 0.75)
        .containsEntry("backstream_loss{run=\"r1\"}", 0.5)
        .containsEntry("backstream_steps_per_second{run=\"r1\"}", 13.0)
        .containsEntry("backstream_live_workers{run=\"r1\"}", 1.0)
        .containsEntry("backstream_shards_resent_total{run=\"r1\"}", 5.0)
        .containsEntry("backstream_frames_rejected_total{reason=\"BAD_CRC\",run=\"r1\"}", 4.0)
        .containsEntry("backstream_frames_rejected_total{reason=\"WRONG_RUN\",run=\"r1\"}", 2.0);
  }

  @Test
  void clusterFiguresBetweenEpochsMoveTheGaugesAndCountersAtOnce() throws IOException {
    metrics.onCluster(new ClusterStats(3, 2, 1, Map.of("STALE_STEP", 1L)));
    metrics.onCluster(new ClusterStats(2, 7, 4, Map.of("STALE_STEP", 4L)));

    Map<String, Double> s = scrape();
    assertThat(s).containsEntry("backstream_live_workers{run=\"r1\"}", 2.0)
        .containsEntry("backstream_shards_resent_total{run=\"r1\"}", 7.0)
        .containsEntry("backstream_frames_rejected_total{reason=\"STALE_STEP\",run=\"r1\"}", 4.0)
        .doesNotContainKey("backstream_epoch{run=\"r1\"}");
  }
}
