package dev.backstream.coordinator.internal;

import dev.backstream.common.nn.Parameters;
import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochEvaluator;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.LossMeter;
import dev.backstream.coordinator.training.TrainingSummary;
import java.util.concurrent.CompletableFuture;

/**
 * What the user and the metrics topic learn of the run: each step's loss, an evaluation at each
 * epoch's end and the summary after the last. Rates count only the steps of this generation over
 * its own wall time, so a resumed run does not claim the steps of the coordinators before it.
 *
 * <p>Called by the step actor; the evaluations run on the evaluator's thread, so the step loop
 * never waits for the train and test sets to be scored.
 */
final class RunProgress implements AutoCloseable {
  private final CoordinatorSetup setup;
  private final long startedNanos;
  private final long firstStep;
  private final int perEpoch;
  private final MetricsPublisher metrics;
  private final EpochEvaluator evaluator;
  private final LossMeter loss;

  /** Wall time counts from here, so the wait for workers to join lowers the step rate. */
  RunProgress(CoordinatorSetup setup) {
    this.setup = setup;
    this.startedNanos = setup.clock().getAsLong();
    this.firstStep = setup.firstStep();
    this.loss = new LossMeter(setup.epochSoFar());
    this.perEpoch = setup.settings().stepsPerEpoch(setup.dataset().train().count());
    this.metrics = new MetricsPublisher(setup);
    this.evaluator = new EpochEvaluator(setup.dataset(), setup.settings().activation(), metrics);
  }

  /**
   * Reports a finished step's mean loss and the progress.
   *
   * @param step the steps done, this one included
   */
  void stepDone(long step, double lossSum, long samples) {
    loss.add(lossSum, samples);
    metrics.onLoss(step, lossSum / samples);
    setup.listener().onStep(step, setup.settings().steps());
  }

  /**
   * The loss sums a checkpoint after {@code step} steps carries: none at an epoch's end, whose
   * mean goes to that epoch's evaluation, else those of the epoch's steps so far.
   */
  LossMeter.Sums epochSoFar(long step) {
    return epochEnd(step) ? LossMeter.Sums.NONE : loss.sums();
  }

  /** Whether {@code step} steps done end an epoch. */
  boolean epochEnd(long step) {
    return step % perEpoch == 0;
  }

  /**
   * Queues the evaluation of the parameters after {@code step} steps, with the mean loss since
   * the last one.
   *
   * @param params not modified: a copy is scored
   */
  CompletableFuture<EpochReport> evaluate(
      long step, Parameters params, long nowNanos, ClusterStats cluster) {
    double wall = (nowNanos - startedNanos) / 1e9;
    int epoch = (int) ((step + perEpoch - 1) / perEpoch);
    return evaluator.submit(
        epoch, step, params.copy(), loss.meanAndReset(), rate(step, wall), wall, cluster);
  }

  /**
   * The run's result from the last evaluation.
   *
   * @param params the final parameters, kept by reference
   */
  TrainingSummary summary(EpochReport last, long step, Parameters params, long nowNanos) {
    double wall = (nowNanos - startedNanos) / 1e9;
    return new TrainingSummary(setup.settings(), step, last.trainAccuracy(), last.testAccuracy(),
        last.loss(), wall, rate(step, wall), params.sha256(), last.cluster(), params);
  }

  /** This coordinator's steps per second; 0 before any time has passed, never NaN or infinite. */
  private double rate(long step, double wallSeconds) {
    return wallSeconds > 0 ? (step - firstStep) / wallSeconds : 0;
  }

  /** Stops the evaluator thread; an evaluation still queued is dropped. */
  @Override
  public void close() {
    evaluator.close();
  }
}
