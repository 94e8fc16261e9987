package dev.backstream.coordinator.internal;

import static dev.backstream.coordinator.internal.TestSetups.gradient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.coordinator.training.BatchSampler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** The open step of the coordinator: its plan, which sums it keeps, and its deadline. */
class CurrentStepTest {
  private static final List<String> TWO = List.of("a", "b");
  private static final FlatVector PARAMS = FlatVector.wrap(TestSetups.initialParams().values());

  private final CurrentStep current = new CurrentStep(TestSetups.setup(), NOPLogger.NOP_LOGGER);

  private static CurrentStep openAt(long firstStep) {
    CurrentStep c = new CurrentStep(TestSetups.setup(firstStep), NOPLogger.NOP_LOGGER);
    c.open(TWO, 0);
    return c;
  }

  private Optional<RejectReason> offer(GradientFrame f) {
    return current.offer(f) instanceof Rejected r ? Optional.of(r.reason()) : Optional.empty();
  }

  private static int[] batchOf(long step) {
    RunSpec s = TestSetups.settings();
    return BatchSampler.batch(s.seed(), step, TestSetups.TRAIN, s.batch());
  }

  @Test
  void opensWithTheStepsBatchAndEveryShardPlannedInBlocks() {
    current.open(TWO, 0);
    StepFrame frame = current.frame(PARAMS, null);
    assertThat(frame.step()).isZero();
    assertThat(frame.run()).isEqualTo(TestSetups.RUN);
    assertThat(frame.generation()).isEqualTo(TestSetups.GENERATION);
    assertThat(frame.batchIndices()).containsExactly(batchOf(0));
    assertThat(frame.shardOwners()).containsExactly("a", "a", "b", "b");
    assertThat(frame.paramsShared()).isEqualTo(PARAMS);
    assertThat(current.attempt()).isZero();
    assertThat(current.round().missingShards()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aResumedCoordinatorStartsAtItsCheckpointsStep() {
    CurrentStep resumed = openAt(7);
    assertThat(resumed.step()).isEqualTo(7);
    assertThat(resumed.frame(PARAMS, null).batchIndices()).containsExactly(batchOf(7));
    assertThat(resumed.offer(gradient(7, 0, 4))).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void refusesSumsOfAnotherStepOrWhileNoStepIsOut() {
    assertThat(offer(gradient(0, 0, 1))).contains(RejectReason.STALE_STEP);
    current.open(TWO, 0);
    assertThat(offer(gradient(1, 0, 1))).contains(RejectReason.STALE_STEP);
    current.close(1);
    current.open(TWO, 1);
    assertThat(offer(gradient(0, 0, 1))).contains(RejectReason.STALE_STEP);
    assertThat(current.round().missingShards()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void refusesSpansThatAreNotNodesOfTheTree() {
    current.open(TWO, 0);
    assertThat(offer(gradient(0, 1, 2))).contains(RejectReason.BAD_SHARD);
    assertThat(offer(gradient(0, 4, 1))).contains(RejectReason.BAD_SHARD);
    assertThat(offer(gradient(0, 2, 4))).contains(RejectReason.BAD_SHARD);
    assertThat(current.round().missingShards()).containsExactly(0, 1, 2, 3);
  }

  /** A leaf at the top of the int range once passed as a node: its end() overflowed. */
  @Test
  void refusesAShardBeyondTheIntRange() {
    current.open(TWO, 0);
    assertThat(offer(gradient(0, Integer.MAX_VALUE, 1))).contains(RejectReason.BAD_SHARD);
    assertThat(current.round().samples()).isZero();
  }

  @Test
  void refusesASecondSumForShardsAlreadyKept() {
    current.open(TWO, 0);
    assertThat(offer(gradient(0, 2, 1))).isEmpty();
    assertThat(offer(gradient(0, 2, 1))).contains(RejectReason.DUPLICATE);
    // the whole half that shard 2 is in (a reducer's sum) stands for it: the same bits
    assertThat(offer(gradient(0, 2, 2))).isEmpty();
    assertThat(offer(gradient(0, 3, 1))).contains(RejectReason.DUPLICATE);
    assertThat(current.round().missingShards()).containsExactly(0, 1);
  }

  @Test
  void theRoundIsCompleteOnceEveryShardIsIn() {
    current.open(TWO, 0);
    assertThat(offer(gradient(0, 0, 2))).isEmpty();
    assertThat(offer(gradient(0, 2, 1))).isEmpty();
    assertThat(current.round().complete()).isFalse();
    assertThat(offer(gradient(0, 3, 1))).isEmpty();
    assertThat(current.round().complete()).isTrue();
    // 2 samples a shard, as the gradients say
    assertThat(current.round().samples()).isEqualTo(8);
  }

  @Test
  void handsOutOnlyTheMissingShardsUnderTheNextAttempt() {
    current.open(TWO, 0);
    current.offer(gradient(0, 0, 2));
    assertThat(current.handOutMissing(TWO)).isEqualTo(2);
    assertThat(current.attempt()).isEqualTo(1);
    String[] owners = current.frame(PARAMS, null).shardOwners();
    assertThat(owners[0]).isEmpty();
    assertThat(owners[1]).isEmpty();
    assertThat(owners[2]).isIn(TWO);
    assertThat(owners[3]).isIn(TWO);
    // the step itself is unchanged: same batch, same kept sums
    assertThat(current.frame(PARAMS, null).batchIndices()).containsExactly(batchOf(0));
    assertThat(current.round().missingShards()).containsExactly(2, 3);
  }

  @Test
  void aLateShardGoesToAWorkerThatOwesNothing() {
    current.open(TWO, 0);
    String late = current.frame(PARAMS, null).shardOwner(2);
    current.offer(gradient(0, 0, 2));
    current.offer(gradient(0, 3, 1));
    current.handOutMissing(TWO);
    assertThat(current.frame(PARAMS, null).shardOwner(2)).isIn(TWO).isNotEqualTo(late);
  }

  @Test
  void whenEveryWorkerIsLateTheShardsStillGoOut() {
    current.open(TWO, 0);
    // nothing came in: both workers owe shards
    assertThat(current.handOutMissing(TWO)).isEqualTo(4);
    String[] owners = current.frame(PARAMS, null).shardOwners();
    assertThat(owners).allSatisfy(owner -> assertThat(owner).isIn(TWO));
    assertThat(current.handOutMissing(List.of(TWO.get(0)))).isEqualTo(4);
    assertThat(current.frame(PARAMS, null).shardOwners()).containsOnly(TWO.get(0));
  }

  @Test
  void successiveHandOutsRotateALateShardAcrossTheWorkers() {
    current.open(TWO, 0);
    current.offer(gradient(0, 0, 2));
    current.offer(gradient(0, 3, 1));
    // shard 2 was b's and is late: it must not stay with one worker for good
    current.handOutMissing(TWO);
    String first = current.frame(PARAMS, null).shardOwner(2);
    current.handOutMissing(TWO);
    assertThat(current.frame(PARAMS, null).shardOwner(2)).isNotEqualTo(first).isIn(TWO);
    assertThat(current.attempt()).isEqualTo(2);
  }

  @Test
  void aWorkerOwesOnlyWhileItHoldsAShardNotYetIn() {
    assertThat(current.owes("a")).isFalse();
    current.open(TWO, 0);
    assertThat(current.owes("a")).isTrue();
    assertThat(current.owes("b")).isTrue();
    assertThat(current.owes("c")).isFalse();
    current.offer(gradient(0, 0, 2));
    assertThat(current.owes("a")).isFalse();
    assertThat(current.owes("b")).isTrue();
    current.offer(gradient(0, 2, 2));
    current.close(1);
    assertThat(current.owes("b")).isFalse();
  }

  @Test
  void onlyTheNewestAttemptOfTheOpenStepIsCurrent() {
    assertThat(current.isCurrent(0, 0)).isFalse();
    current.open(TWO, 0);
    assertThat(current.isCurrent(0, 0)).isTrue();
    current.handOutMissing(TWO);
    assertThat(current.isCurrent(0, 0)).isFalse();
    assertThat(current.isCurrent(0, 1)).isTrue();
    current.close(1);
    assertThat(current.isCurrent(0, 1)).isFalse();
    assertThat(current.isCurrent(1, 0)).isFalse();
    current.open(TWO, 1);
    assertThat(current.isCurrent(0, 1)).isFalse();
    assertThat(current.isCurrent(1, 0)).isTrue();
  }

  @Test
  void patienceDoublesWithEachAttemptUpToSixteenTimes() {
    current.open(TWO, 0);
    Duration base = current.patience();
    // before any step time is known a cold worker JVM gets 2 s, as DESIGN.md says
    assertThat(base).isEqualTo(Duration.ofSeconds(2));
    long[] times = {2, 4, 8, 16, 16, 16};
    for (int attempt = 1; attempt <= times.length; attempt++) {
      current.handOutMissing(TWO);
      assertThat(current.patience())
          .as("attempt %d", attempt)
          .isEqualTo(base.multipliedBy(times[attempt - 1]));
    }
  }

  @Test
  void aNewStepIsPatientAgainAndLearnsFromTheLastStepsTime() {
    long second = 1_000_000_000L;
    current.open(TWO, 0);
    current.handOutMissing(TWO);
    current.close(3 * second);
    current.open(TWO, 3 * second);
    // one step of 3 s: the deadline is the factor (5) times it, on attempt 0 again
    assertThat(current.attempt()).isZero();
    assertThat(current.patience())
        .isEqualTo(Duration.ofSeconds(3).multipliedBy((long) TestSetups.DEADLINE_FACTOR));
  }

  @Test
  void fastStepsNeverBringTheDeadlineBelowTheSetupsFloor() {
    current.open(TWO, 0);
    current.close(1_000);
    current.open(TWO, 1_000);
    assertThat(current.patience()).isEqualTo(TestSetups.DEADLINE_FLOOR);
  }

  @Test
  void closeMovesToTheNextStepWhoseBatchIsItsOwn() {
    current.open(TWO, 0);
    current.offer(gradient(0, 0, 4));
    current.close(1);
    assertThat(current.step()).isEqualTo(1);
    assertThat(current.round()).isNull();
    current.open(List.of("c"), 1);
    StepFrame frame = current.frame(PARAMS, null);
    assertThat(frame.step()).isEqualTo(1);
    assertThat(frame.batchIndices()).containsExactly(batchOf(1)).isNotEqualTo(batchOf(0));
    assertThat(frame.shardOwners()).containsOnly("c");
    assertThat(current.round().missingShards()).containsExactly(0, 1, 2, 3);
    assertThat(offer(gradient(1, 0, 4))).isEmpty();
  }

  /** The step after {@code firstStep}, opened over {@code second} after a step over {@code first}. */
  private static CurrentStep secondStep(long firstStep, List<String> first, List<String> second) {
    CurrentStep c = new CurrentStep(TestSetups.setup(firstStep), NOPLogger.NOP_LOGGER);
    c.open(first, 0);
    c.close(1);
    c.open(second, 2);
    return c;
  }

  @Test
  void theSameWorkersGetOnlyTheParametersChangedSinceTheStepBefore() {
    FlatVector previous = PARAMS.copy();
    previous.doubles()[0] += 1.0;
    CurrentStep c = secondStep(6, TWO, TWO);

    StepFrame frame = c.frame(PARAMS, previous);

    assertThat(frame.step()).isEqualTo(7);
    assertThat(frame.complete()).isFalse();
    StepFrame before = new StepFrame(TestSetups.RUN, TestSetups.GENERATION, 6,
        TestSetups.settings(), previous, batchOf(6), new String[] {"a", "a", "b", "b"});
    assertThat(frame.resolvedAgainst(before).orElseThrow().paramsShared()).isEqualTo(PARAMS);
  }

  @Test
  void aFrameCarriesEveryParameterWhereAWorkerMayLackTheStepBefore() {
    FlatVector previous = PARAMS.copy();
    // nothing published before by this coordinator
    assertThat(secondStep(6, TWO, TWO).frame(PARAMS, null).complete()).isTrue();
    // a worker joined: it did not read the step before
    assertThat(secondStep(6, List.of("a"), TWO).frame(PARAMS, previous).complete()).isTrue();
    // every COMPLETE_EVERY steps
    assertThat(secondStep(CurrentStep.COMPLETE_EVERY - 1, TWO, TWO).frame(PARAMS, previous)
        .complete()).isTrue();
    // handed out again after the deadline
    CurrentStep late = secondStep(6, TWO, TWO);
    late.handOutMissing(TWO);
    assertThat(late.frame(PARAMS, previous).complete()).isTrue();
  }
}
