package dev.backstream.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.protocol.WorkerHeartbeat;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who the coordinator can hand shards to, from heartbeats, goodbyes and gradients. */
class WorkerRosterTest {
  private static final long SECOND = 1_000_000_000L;

  private final RecordingLogger log = new RecordingLogger();
  /** Time is passed in: a worker silent for more than 5 s is gone. */
  private final WorkerRoster roster = new WorkerRoster(Duration.ofSeconds(5), log);

  private static WorkerHeartbeat heartbeat(String workerId, int actors) {
    return new WorkerHeartbeat(TestSetups.RUN, workerId, "host", 42, actors, 0, false, Map.of());
  }

  private static WorkerHeartbeat goodbye(String workerId, int actors) {
    return new WorkerHeartbeat(TestSetups.RUN, workerId, "host", 42, actors, 0, true, Map.of());
  }

  @Test
  void aHeartbeatMakesEachOfTheProcesssActorsLive() {
    assertThat(roster.heartbeat(heartbeat("w", 3), 0)).isEmpty();
    assertThat(roster.live(0)).containsExactly("w/0", "w/1", "w/2");
  }

  @Test
  void liveWorkersComeInAStableSortedOrder() {
    roster.heartbeat(heartbeat("w2", 1), 0);
    roster.heartbeat(heartbeat("w1", 2), SECOND);
    assertThat(roster.live(SECOND)).containsExactly("w1/0", "w1/1", "w2/0");
  }

  @Test
  void aProcessWithoutActorsTakesNoShards() {
    roster.heartbeat(heartbeat("w", 0), 0);
    assertThat(roster.live(0)).isEmpty();
  }

  @Test
  void aWorkerSilentForLongerThanTheTimeoutIsGone() {
    roster.heartbeat(heartbeat("w", 2), 0);
    assertThat(roster.live(5 * SECOND)).containsExactly("w/0", "w/1");
    assertThat(roster.live(5 * SECOND + 1)).isEmpty();
  }

  @Test
  void eachHeartbeatRestartsTheTimeout() {
    roster.heartbeat(heartbeat("w", 1), 0);
    roster.heartbeat(heartbeat("w", 1), 4 * SECOND);
    roster.heartbeat(heartbeat("v", 1), 0);
    assertThat(roster.live(8 * SECOND)).containsExactly("w/0");
  }

  @Test
  void aGradientKeepsAWorkerWithLateHeartbeatsLive() {
    roster.heartbeat(heartbeat("w", 2), 0);
    roster.seen("w/1", 4 * SECOND);
    assertThat(roster.live(8 * SECOND)).containsExactly("w/1");
  }

  @Test
  void aGoodbyeRemovesEveryActorOfTheProcessAtOnce() {
    roster.heartbeat(heartbeat("w", 2), 0);
    roster.heartbeat(heartbeat("v", 1), 0);
    assertThat(roster.heartbeat(goodbye("w", 2), SECOND)).containsExactly("w/0", "w/1");
    assertThat(roster.live(SECOND)).containsExactly("v/0");
  }

  @Test
  void aGradientThatArrivesAfterTheGoodbyeDoesNotBringTheWorkerBack() {
    roster.heartbeat(heartbeat("w", 1), 0);
    roster.heartbeat(goodbye("w", 1), SECOND);
    roster.seen("w/0", 2 * SECOND);
    assertThat(roster.live(2 * SECOND)).isEmpty();
    // a heartbeat does: the process is back under its id
    roster.heartbeat(heartbeat("w", 1), 3 * SECOND);
    assertThat(roster.live(3 * SECOND)).containsExactly("w/0");
  }

  @Test
  void aGoodbyeNamesTheActorsEvenIfTheyWereNotKnown() {
    // the step actor asks whether any of them owes shards, so it needs the ids either way
    assertThat(roster.heartbeat(goodbye("w", 2), 0)).containsExactly("w/0", "w/1");
    assertThat(roster.live(0)).isEmpty();
  }

  @Test
  void logsEachJoinAndLeaveOnce() {
    roster.heartbeat(heartbeat("w", 1), 0);
    roster.heartbeat(heartbeat("w", 1), SECOND);
    roster.seen("w/0", 2 * SECOND);
    roster.heartbeat(goodbye("w", 1), 3 * SECOND);
    roster.heartbeat(goodbye("w", 1), 3 * SECOND);
    assertThat(log.lines()).containsExactly("worker w/0 joined", "worker w/0 left");
  }

  @Test
  void aWorkerBackFromSilenceJoinsAgain() {
    roster.heartbeat(heartbeat("w", 1), 0);
    roster.heartbeat(heartbeat("w", 1), 10 * SECOND);
    assertThat(log.lines()).containsExactly("worker w/0 joined", "worker w/0 joined");
    assertThat(roster.live(10 * SECOND)).containsExactly("w/0");
  }
}
