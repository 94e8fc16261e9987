package dev.backstream.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.protocol.RejectReason;
import dev.backstream.coordinator.training.ClusterStats;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** The run's trouble counters: the coordinator's own and each worker process's newest. */
class ClusterTallyTest {
  private final ClusterTally tally = new ClusterTally(NOPLogger.NOP_LOGGER, () -> 0L);

  /** Checks the counts by reason, and that the total is their sum. */
  private void assertRejections(Map<String, Long> byReason) {
    ClusterStats stats = tally.stats(1);
    assertThat(stats.rejectedByReason()).isEqualTo(byReason);
    assertThat(stats.framesRejected())
        .isEqualTo(byReason.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void startsAtZeroWithTheLiveCountGiven() {
    ClusterStats stats = tally.stats(3);
    assertThat(stats.liveWorkers()).isEqualTo(3);
    assertThat(stats.shardsResent()).isZero();
    assertThat(stats.framesRejected()).isZero();
    assertThat(stats.rejectedByReason()).isEmpty();
  }

  @Test
  void countsTheCoordinatorsOwnRejectionsByReason() {
    tally.reject(RejectReason.STALE_STEP, "step 1 while at 2");
    tally.reject(RejectReason.STALE_STEP, "step 0 while at 2");
    tally.reject(RejectReason.WRONG_RUN, "run 'other'");
    assertRejections(Map.of("STALE_STEP", 2L, "WRONG_RUN", 1L));
  }

  @Test
  void addsEachWorkersCountsToTheCoordinatorsByReason() {
    tally.reject(RejectReason.DUPLICATE, "shard 1 of step 4");
    tally.workerReported("w1", Map.of("DUPLICATE", 2L, "BAD_CRC", 1L));
    tally.workerReported("w2", Map.of("BAD_CRC", 4L));
    assertRejections(Map.of("DUPLICATE", 3L, "BAD_CRC", 5L));
  }

  @Test
  void aNewerHeartbeatReplacesTheWorkersTotalsRatherThanAddingToThem() {
    tally.workerReported("w1", Map.of("BAD_CRC", 2L));
    tally.workerReported("w1", Map.of("BAD_CRC", 5L, "STALE_STEP", 1L));
    tally.workerReported("w2", Map.of("BAD_CRC", 1L));
    assertRejections(Map.of("BAD_CRC", 6L, "STALE_STEP", 1L));
  }

  @Test
  void askingForTheFiguresTwiceDoesNotCountAnythingTwice() {
    tally.reject(RejectReason.BAD_SHARD, "shards 1..2");
    tally.workerReported("w1", Map.of("BAD_SHARD", 1L));
    tally.resent(2);
    ClusterStats first = tally.stats(1);
    assertThat(tally.stats(1)).isEqualTo(first);
    assertThat(first.framesRejected()).isEqualTo(2);
  }

  @Test
  void addsUpTheShardsResent() {
    tally.resent(2);
    tally.resent(0);
    tally.resent(3);
    assertThat(tally.stats(0).shardsResent()).isEqualTo(5);
    // re-sending is not a rejection
    assertThat(tally.stats(0).framesRejected()).isZero();
  }
}
