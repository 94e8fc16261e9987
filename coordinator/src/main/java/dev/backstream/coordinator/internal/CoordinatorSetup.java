package dev.backstream.coordinator.internal;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.training.Evaluations;
import dev.backstream.coordinator.training.LossMeter;
import dev.backstream.coordinator.training.RunProgress;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * What one coordinator generation starts from and reports to.
 *
 * @param run the run name
 * @param generation this coordinator's fencing token, above every earlier one of the run
 * @param settings what is trained
 * @param dataset scored every epoch; its training-set size bounds the batch indices
 * @param initialParams the parameters of {@code firstStep} (not modified)
 * @param firstStep the step to start from (0, or a checkpoint's)
 * @param epochSoFar the loss sums of the steps of {@code firstStep}'s epoch before it
 * @param listener progress and epoch reports
 * @param output where steps and metrics go
 * @param result completed with the summary when the last step's evaluation is done
 * @param memberTimeout silence after which a worker counts as gone
 * @param deadlineFloor the shortest wait before a late shard is handed out again
 * @param deadlineFactor the wait as a multiple of the median step time
 * @param clock nanosecond time source
 * @param checkpointEvery steps between checkpoints (every epoch's end and the last step have one)
 * @param evaluations which parameters are scored on the full sets
 */
public record CoordinatorSetup(
    String run,
    long generation,
    RunSpec settings,
    Dataset dataset,
    Parameters initialParams,
    long firstStep,
    LossMeter.Sums epochSoFar,
    TrainingListener listener,
    CoordinatorOutput output,
    CompletableFuture<TrainingSummary> result,
    Duration memberTimeout,
    Duration deadlineFloor,
    double deadlineFactor,
    LongSupplier clock,
    int checkpointEvery,
    Evaluations evaluations) {

  /**
   * What the user and the metrics topic learn of this generation, through the loop bookkeeping
   * a local run uses too; its wall time counts from now.
   */
  RunProgress progress() {
    return new RunProgress(settings, dataset, firstStep, epochSoFar, new MetricsPublisher(this),
        clock.getAsLong(), evaluations);
  }
}
