package dev.backstream.cli.cluster;

import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.common.kafka.RunEndWatch;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.Topics;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How a process that serves a run (a worker, a reducer) lives: until the coordinator finishes the
 * run, then it says so and closes, or until SIGTERM or Ctrl-C, when a shutdown hook closes it
 * (a goodbye, so the coordinator need not wait for it to time out).
 */
final class UntilRunEnds {
  private UntilRunEnds() {}

  /**
   * Whether the run has already finished (its final epoch line is on the metrics topic); if so,
   * says so: a process started on a finished run has nothing to do. Creates nothing, so a look at
   * a run that does not exist leaves no topics behind.
   */
  static boolean finishedAlready(PrintWriter out, KafkaOptions kafka) {
    String run = kafka.run();
    Optional<MetricsRecord> last =
        RunEndWatch.finishedAlready(kafka.settings(), Topics.forRun(run), kafka.connectTimeout());
    last.ifPresent(m -> {
      out.println("run '" + run + "' on " + kafka.bootstrap() + " is finished at step " + m.step()
          + "; nothing to do");
      out.flush();
    });
    return last.isPresent();
  }

  /**
   * Serves until the run ends or the process is stopped; prints {@code serving} first.
   *
   * @param role names the process in the shutdown thread and in a failure ("worker")
   * @param runFinished completes with the run's last step once the coordinator has finished it
   * @param leave leaves the run cleanly (idempotent)
   * @throws InterruptedException if the waiting thread is interrupted
   */
  static void serve(PrintWriter out, String run, String role, String serving,
      CompletableFuture<Long> runFinished, Runnable leave) throws InterruptedException {
    CompletableFuture<Long> stopped = new CompletableFuture<>();
    Thread hook = new Thread(() -> {
      leave.run();
      stopped.complete(-1L);
    }, "backstream-" + role + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(serving);
    out.flush();
    CompletableFuture<Long> finished = runFinished;
    try {
      CompletableFuture.anyOf(finished, stopped).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the " + role + " failed: " + e.getCause(), e.getCause());
    }
    if (finished.isDone() && !stopped.isDone()) {
      out.println("run '" + run + "' finished at step " + finished.join() + "; exiting");
      out.flush();
      leave.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook leaves again, which does nothing
      }
    }
  }
}
