package dev.backstream.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.LossRecord;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.RunProgress;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the user and the metrics topic learn of a coordinator's run, on the 20 hand-made images: an epoch is 2
 * steps of 8. The evaluator thread is real; the clock is not.
 */
class RunProgressTest {
  private static final long SECOND = 1_000_000_000L;
  private static final double TOLERANCE = 1e-12;
  private static final ClusterStats CLUSTER = new ClusterStats(2, 3, 4, Map.of("DUPLICATE", 4L));

  private final List<MetricsLine> published = new CopyOnWriteArrayList<>();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final List<EpochReport> epochs = new CopyOnWriteArrayList<>();
  private final long[] now = {10 * SECOND};
  private RunProgress progress;

  private final TrainingListener listener = new TrainingListener() {
    @Override
    public void onLoss(long step, double meanLoss) {
      heard.add("loss " + step + " " + meanLoss);
    }

    @Override
    public void onStep(long done, long total) {
      heard.add("step " + done + "/" + total);
    }

    @Override
    public void onEpoch(EpochReport report) {
      epochs.add(report);
    }
  };

  /** Starts the run's clock at the current {@code now}. */
  private RunProgress startAt(long firstStep) {
    progress =
        TestSetups.setup(firstStep, () -> now[0], TestSetups.metricsTo(published::add), listener)
            .progress();
    return progress;
  }

  /** Reports steps {@code first, first + 1, ...} of 8 samples each with these loss sums. */
  private void stepsDone(long first, double... lossSums) {
    for (int i = 0; i < lossSums.length; i++) {
      progress.stepDone(first + i, lossSums[i], 8);
    }
  }

  /** Waits {@code seconds} on the run's clock, then evaluates the initial parameters. */
  private EpochReport evaluateAfter(long seconds, long step) throws Exception {
    now[0] += seconds * SECOND;
    Future<EpochReport> report =
        progress.evaluate(step, TestSetups.initialParams(), now[0], CLUSTER);
    return report.get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopEvaluator() {
    if (progress != null) {
      progress.close();
    }
  }

  @Test
  void eachStepReportsItsMeanLossThenTheProgress() {
    startAt(0).stepDone(1, 12.0, 8);
    assertThat(heard).containsExactly("loss 1 1.5", "step 1/10");
  }

  @Test
  void anEpochIsOnePassOverTheTrainingSetAndEndsWithAnEvaluation() {
    startAt(0);
    assertThat(progress.epochEnd(2)).isTrue();
    assertThat(progress.epochEnd(3)).isFalse();
    assertThat(progress.epochEnd(4)).isTrue();
    assertThat(progress.evaluationDue(2)).isTrue();
    assertThat(progress.evaluationDue(3)).isFalse();
    // the last step is evaluated even mid-epoch: 11 is odd, and past the run's 10 steps
    assertThat(progress.evaluationDue(11)).isTrue();
  }

  @Test
  void anEvaluationReportsTheMeanLossSinceTheLastAndTheRateOverWallTime() throws Exception {
    startAt(0);
    stepsDone(1, 8.0, 24.0);
    EpochReport first = evaluateAfter(4, 2);
    assertThat(first.epoch()).isEqualTo(1);
    assertThat(first.step()).isEqualTo(2);
    // (8 + 24) / 16 samples
    assertThat(first.loss()).isCloseTo(2.0, within(TOLERANCE));
    assertThat(first.wallSeconds()).isCloseTo(4.0, within(TOLERANCE));
    assertThat(first.stepsPerSecond()).isCloseTo(0.5, within(TOLERANCE));
    assertThat(first.cluster()).isEqualTo(CLUSTER);
    assertThat(first.trainAccuracy()).isBetween(0.0, 1.0);
    assertThat(epochs).containsExactly(first);

    stepsDone(3, 4.0);
    EpochReport second = evaluateAfter(0, 3);
    // a last epoch cut short counts as one; its loss is that of step 3 alone
    assertThat(second.epoch()).isEqualTo(2);
    assertThat(second.loss()).isCloseTo(0.5, within(TOLERANCE));
  }

  @Test
  void aResumedRunCountsOnlyItsOwnStepsInTheRate() throws Exception {
    startAt(6);
    stepsDone(7, 8.0, 8.0);
    EpochReport report = evaluateAfter(2, 8);
    assertThat(report.epoch()).isEqualTo(4);
    assertThat(report.stepsPerSecond()).isCloseTo(1.0, within(TOLERANCE));
  }

  @Test
  void lossesAndEpochsGoToTheMetricsTopic() throws Exception {
    startAt(0);
    stepsDone(1, 8.0, 16.0);
    evaluateAfter(1, 2);
    assertThat(published).hasSize(3);
    assertThat(published.get(0)).isInstanceOf(RunRecord.class);
    // an epoch's end closes the block of losses
    assertThat(published.get(1)).isEqualTo(new LossRecord(TestSetups.RUN, 1, new double[] {1, 2}));
    assertThat(published.get(2)).isInstanceOfSatisfying(MetricsRecord.class,
        m -> assertThat(m.epoch()).isEqualTo(1));
  }

  @Test
  void theSummaryTakesTheLastEvaluationAndNamesTheFinalParameters() throws Exception {
    startAt(0);
    stepsDone(1, 8.0);
    EpochReport last = evaluateAfter(2, 1);
    now[0] += 2 * SECOND;
    Parameters params = TestSetups.initialParams();
    TrainingSummary summary = progress.summary(last, 1, params, now[0]);
    assertThat(summary.steps()).isEqualTo(1);
    assertThat(summary.settings()).isEqualTo(TestSetups.settings());
    assertThat(summary.trainAccuracy()).isEqualTo(last.trainAccuracy());
    assertThat(summary.testAccuracy()).isEqualTo(last.testAccuracy());
    assertThat(summary.loss()).isEqualTo(last.loss());
    assertThat(summary.cluster()).isEqualTo(CLUSTER);
    // the wall time runs to the summary, the evaluation's included
    assertThat(summary.wallSeconds()).isCloseTo(4.0, within(TOLERANCE));
    assertThat(summary.stepsPerSecond()).isCloseTo(0.25, within(TOLERANCE));
    assertThat(summary.paramsSha256()).isEqualTo(params.sha256());
    assertThat(summary.params()).isEqualTo(params);
  }
}
