package dev.backstream.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which step a worker process follows and which shards each of its actors computes. */
class ShardScheduleTest {
  private static final String A = "w/0";
  private static final String B = "w/1";

  private final ShardSchedule schedule = new ShardSchedule(List.of(A, B));

  /** A step of 4 shards whose plan gives shard k to {@code owners[k]} ("" for none). */
  private static StepFrame step(long generation, long step, String... owners) {
    return new StepFrame("run", generation, step, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 2, Activation.RELU, 0, 4, 0.01), new double[3], new int[] {0, 1, 2, 3},
        owners);
  }

  private static Optional<RejectReason> reason(Admission a) {
    return a instanceof Rejected r ? Optional.of(r.reason()) : Optional.empty();
  }

  private static String detail(Admission a) {
    return ((Rejected) a).detail();
  }

  private static String shards(ShardSchedule.Work w) {
    return w.actor() + ":" + w.frame().generation() + "/" + w.frame().step() + w.shards();
  }

  private static List<String> shards(List<ShardSchedule.Work> work) {
    return work.stream().map(ShardScheduleTest::shards).toList();
  }

  @Test
  void anIdleProcessStartsEachActorOnTheShardsThePlanGivesIt() {
    StepFrame s0 = step(1, 0, A, A, B, "");
    assertThat(shards(schedule.follow(s0))).containsExactly("0:1/0[0, 1]", "1:1/0[2]");
    assertThat(schedule.followed()).isSameAs(s0);
  }

  @Test
  void anActorThePlanLeavesOutGetsNothing() {
    assertThat(shards(schedule.follow(step(1, 0, B, B, B, B)))).containsExactly("1:1/0[0, 1, 2, 3]");
    assertThat(schedule.computed(0)).isEmpty();
  }

  @Test
  void nothingIsBehindBeforeTheFirstStep() {
    assertThat(schedule.behind(step(0, 0, A, A, A, A), null)).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void anEarlierStepOrAnOlderGenerationIsBehindTheStepFollowed() {
    schedule.follow(step(2, 5, A, A, B, B));
    assertThat(reason(schedule.behind(step(2, 4, A, A, B, B), null)))
        .contains(RejectReason.STALE_STEP);
    assertThat(detail(schedule.behind(step(2, 4, A, A, B, B), null)))
        .isEqualTo("step 4 after 5");
    assertThat(reason(schedule.behind(step(1, 9, A, A, B, B), null)))
        .contains(RejectReason.STALE_GENERATION);
    assertThat(detail(schedule.behind(step(1, 9, A, A, B, B), null)))
        .isEqualTo("generation 1 after 2");
    // the same step again (shards handed out anew), a later one, or a new generation from 0
    assertThat(schedule.behind(step(2, 5, A, A, B, B), null)).isEqualTo(Admission.ADMITTED);
    assertThat(schedule.behind(step(2, 6, A, A, B, B), null)).isEqualTo(Admission.ADMITTED);
    assertThat(schedule.behind(step(3, 0, A, A, B, B), null)).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void withinAPollAStepIsComparedWithTheNewestAcceptedBeforeIt() {
    schedule.follow(step(1, 0, A, A, B, B));
    StepFrame newer = step(2, 0, A, A, B, B);
    // not behind the step followed, but behind the poll's newer generation
    assertThat(reason(schedule.behind(step(1, 3, A, A, B, B), newer)))
        .contains(RejectReason.STALE_GENERATION);
    assertThat(reason(schedule.behind(step(2, 0, A, A, B, B), step(2, 1, A, A, B, B))))
        .contains(RejectReason.STALE_STEP);
  }

  @Test
  void aBusyActorGetsOnlyTheNewestStepNext() {
    schedule.follow(step(1, 0, A, A, B, B));
    // both actors still compute step 0: steps 1 and 2 wait, 2 replacing 1
    assertThat(schedule.follow(step(1, 1, A, A, B, B))).isEmpty();
    assertThat(schedule.follow(step(1, 2, A, B, B, B))).isEmpty();
    assertThat(schedule.computed(0).map(ShardScheduleTest::shards)).contains("0:1/2[0]");
    assertThat(schedule.computed(1).map(ShardScheduleTest::shards)).contains("1:1/2[1, 2, 3]");
    assertThat(schedule.computed(0)).isEmpty();
    assertThat(schedule.computed(1)).isEmpty();
  }

  @Test
  void aStepPublishedAgainAddsOnlyShardsNotAlreadyRunning() {
    schedule.follow(step(1, 0, A, "", B, B));
    // the coordinator hands shard 3, late, to A; B still computes it
    assertThat(schedule.follow(step(1, 0, "", "", "", A))).isEmpty();
    assertThat(schedule.computed(0).map(ShardScheduleTest::shards)).contains("0:1/0[3]");
    // B finished shards 2 and 3; a copy of them naming B again is new work, computed as asked
    assertThat(schedule.computed(1)).isEmpty();
    assertThat(shards(schedule.follow(step(1, 0, "", "", B, B)))).containsExactly("1:1/0[2, 3]");
  }

  @Test
  void whatWaitsLosesTheShardsTheRunningPieceHasJustSent() {
    schedule.follow(step(1, 0, A, "", "", ""));
    // while A computes shard 0, a new version gives it shards 0 and 1: 0 runs already
    schedule.follow(step(1, 0, A, A, "", ""));
    assertThat(schedule.computed(0).map(ShardScheduleTest::shards)).contains("0:1/0[1]");
  }

  @Test
  void aNewStepDropsWhatWaitedForTheOldOne() {
    schedule.follow(step(1, 0, A, "", "", ""));
    schedule.follow(step(1, 0, "", A, "", ""));
    // step 1 gives A nothing: what waited of step 0 is dropped all the same
    assertThat(schedule.follow(step(1, 1, "", "", B, B))).hasSize(1);
    assertThat(schedule.computed(0)).isEmpty();
  }

  @Test
  void aNewGenerationReplacesTheSameStepNumberOfTheOld() {
    schedule.follow(step(1, 4, A, A, A, A));
    assertThat(schedule.follow(step(2, 4, A, A, A, A))).isEmpty();
    // the sums of generation 1 are of no use to the new coordinator: all four shards again
    assertThat(schedule.computed(0).map(ShardScheduleTest::shards)).contains("0:2/4[0, 1, 2, 3]");
  }

  @Test
  void anActorThatFinishesFreesItselfForTheNextStep() {
    schedule.follow(step(1, 0, A, A, B, B));
    assertThat(schedule.computed(0)).isEmpty();
    assertThat(shards(schedule.follow(step(1, 1, A, A, B, B)))).containsExactly("0:1/1[0, 1]");
  }

  @Test
  void theShardsOwedAreThoseRunningOrWaitingForTheStepFollowed() {
    schedule.follow(step(1, 0, A, A, B, ""));
    assertThat(schedule.owed()).containsExactlyInAnyOrder(0, 1, 2);
    // published again while both run: shard 3 waits for A, whose running shards count still
    schedule.follow(step(1, 0, "", "", "", A));
    assertThat(schedule.owed()).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(schedule.computed(1)).isEmpty();
    assertThat(schedule.owed()).containsExactlyInAnyOrder(0, 1, 3);
    assertThat(schedule.computed(0).map(ShardScheduleTest::shards)).contains("0:1/0[3]");
    assertThat(schedule.owed()).containsExactly(3);
    // a newer step: what still runs for the old one is owed to no one
    schedule.follow(step(1, 1, "", B, "", ""));
    assertThat(schedule.owed()).containsExactly(1);
  }
}
