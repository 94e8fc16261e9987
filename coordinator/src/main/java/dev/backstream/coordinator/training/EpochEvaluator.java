package dev.backstream.coordinator.training;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Parameters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Evaluates parameter snapshots on its own thread so that the step loop never waits for the full
 * train and test sets to be scored. Reports reach the listener in submission order.
 */
public final class EpochEvaluator implements AutoCloseable {
  private final Dataset dataset;
  private final Activation activation;
  private final TrainingListener listener;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "backstream-evaluator");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<EpochReport> last;

  /**
   * @param dataset the sets to score
   * @param activation the network's hidden activation
   * @param listener receives each report on the evaluator thread
   */
  public EpochEvaluator(Dataset dataset, Activation activation, TrainingListener listener) {
    this.dataset = dataset;
    this.activation = activation;
    this.listener = listener;
  }

  /**
   * Queues the evaluation of a snapshot.
   *
   * @param snapshot parameters that nobody modifies any more (pass a copy)
   */
  public CompletableFuture<EpochReport> submit(
      int epoch,
      long step,
      Parameters snapshot,
      double loss,
      double stepsPerSecond,
      double wall,
      ClusterStats cluster) {
    CompletableFuture<EpochReport> result =
        CompletableFuture.supplyAsync(
            () -> {
              EpochReport report =
                  new EpochReport(
                      epoch,
                      step,
                      Evaluator.accuracy(snapshot, activation, dataset.train()),
                      Evaluator.accuracy(snapshot, activation, dataset.test()),
                      loss,
                      stepsPerSecond,
                      wall,
                      cluster);
              listener.onEpoch(report);
              return report;
            },
            executor);
    last = result;
    return result;
  }

  /** Waits for every queued evaluation and returns the last report, or null if none was queued. */
  public EpochReport awaitLast() throws InterruptedException {
    if (last == null) {
      return null;
    }
    try {
      return last.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
