package dev.backstream.coordinator.training;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.RunSpec;
import java.util.concurrent.CompletableFuture;

/**
 * What the user learns of a run, the one training loop's bookkeeping for local and Kafka runs
 * alike: each step's loss, the epoch arithmetic, an evaluation at each epoch's end and after the
 * last step, and the summary. Rates count only the steps of this process over its own wall time,
 * so a resumed run does not claim the steps of the coordinators before it.
 *
 * <p>Called from the step loop (the local trainer's, or the step actor); the evaluations run on
 * the evaluator's thread, so the loop never waits for the train and test sets to be scored.
 */
public final class RunProgress implements AutoCloseable {
  private final RunSpec settings;
  private final TrainingListener listener;
  private final long startedNanos;
  private final long firstStep;
  private final int perEpoch;
  private final EpochEvaluator evaluator;
  private final Evaluations evaluations;
  private final LossMeter loss;

  /**
   * @param settings what is trained
   * @param dataset scored at each evaluation; its training-set size sets the epoch's length
   * @param firstStep the step this process starts from (0, or a checkpoint's)
   * @param epochSoFar the loss sums of {@code firstStep}'s epoch before it
   * @param listener hears every step's loss and progress and every epoch's report
   * @param startedNanos the wall time counts from here: the wait for workers lowers the rate
   * @param evaluations which parameters are scored
   */
  public RunProgress(RunSpec settings, Dataset dataset, long firstStep,
      LossMeter.Sums epochSoFar, TrainingListener listener, long startedNanos,
      Evaluations evaluations) {
    this.settings = settings;
    this.evaluations = evaluations;
    this.listener = listener;
    this.startedNanos = startedNanos;
    this.firstStep = firstStep;
    this.loss = new LossMeter(epochSoFar);
    this.perEpoch = settings.stepsPerEpoch(dataset.train().count());
    this.evaluator = new EpochEvaluator(dataset, settings.activation(), listener);
  }

  /**
   * Reports a finished step's mean loss and the progress.
   *
   * @param step the steps done, this one included
   * @param lossSum the step's loss sum, added in the reduction tree's order
   * @param samples the step's sample count
   */
  public void stepDone(long step, double lossSum, long samples) {
    loss.add(lossSum, samples);
    listener.onLoss(step, lossSum / samples);
    listener.onStep(step, settings.steps());
  }

  /**
   * The loss sums a checkpoint after {@code step} steps carries: none at an epoch's end, whose
   * mean goes to that epoch's evaluation, else those of the epoch's steps so far.
   */
  public LossMeter.Sums epochSoFar(long step) {
    return epochEnd(step) ? LossMeter.Sums.NONE : loss.sums();
  }

  /** Whether {@code step} steps done end an epoch. */
  public boolean epochEnd(long step) {
    return step % perEpoch == 0;
  }

  /** Whether the parameters after {@code step} steps are evaluated, by the run's choice. */
  public boolean evaluationDue(long step) {
    return evaluations.due(step, settings.steps(), epochEnd(step));
  }

  /**
   * Queues the evaluation of the parameters after {@code step} steps, with the mean loss since
   * the last one.
   *
   * @param params not modified: a copy is scored
   */
  public CompletableFuture<EpochReport> evaluate(
      long step, Parameters params, long nowNanos, ClusterStats cluster) {
    double wall = (nowNanos - startedNanos) / 1e9;
    int epoch = (int) ((step + perEpoch - 1) / perEpoch);
    return evaluator.submit(
        epoch, step, params.copy(), loss.meanAndReset(), rate(step, wall), wall, cluster);
  }

  /** Waits for every queued evaluation and returns the last report, or null if none was queued. */
  public EpochReport awaitLast() throws InterruptedException {
    return evaluator.awaitLast();
  }

  /**
   * The run's result from the last evaluation.
   *
   * @param params the final parameters, kept by reference
   */
  public TrainingSummary summary(EpochReport last, long step, Parameters params, long nowNanos) {
    double wall = (nowNanos - startedNanos) / 1e9;
    return new TrainingSummary(settings, step, last.trainAccuracy(), last.testAccuracy(),
        last.loss(), wall, rate(step, wall), params.sha256(), last.cluster(), params);
  }

  /** This process's steps per second; 0 before any time has passed, never NaN or infinite. */
  private double rate(long step, double wallSeconds) {
    return wallSeconds > 0 ? (step - firstStep) / wallSeconds : 0;
  }

  /** Stops the evaluator thread; an evaluation still queued is dropped. */
  @Override
  public void close() {
    evaluator.close();
  }
}
