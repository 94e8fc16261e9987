package dev.backstream.cli.cluster;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How a process that serves a run (a worker, a reducer) lives: until the coordinator finishes the
 * run, then it says so and closes, or until SIGTERM or Ctrl-C, when a shutdown hook closes it
 * (a goodbye, so the coordinator need not wait for it to time out).
 */
final class UntilRunEnds {
  private UntilRunEnds() {}

  /** Something that serves a run and leaves it cleanly when closed (idempotent). */
  interface Member {
    /** Completes with the run's last step once the coordinator has finished it. */
    CompletableFuture<Long> runFinished();

    /** Leaves the run. */
    void close();
  }

  /**
   * Serves until the run ends or the process is stopped; prints {@code serving} first.
   *
   * @param role names the process in the shutdown thread and in a failure ("worker")
   * @throws InterruptedException if the waiting thread is interrupted
   */
  static void serve(PrintWriter out, String run, String role, String serving, Member member)
      throws InterruptedException {
    CompletableFuture<Long> stopped = new CompletableFuture<>();
    Thread hook = new Thread(() -> {
      member.close();
      stopped.complete(-1L);
    }, "backstream-" + role + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(serving);
    out.flush();
    CompletableFuture<Long> finished = member.runFinished();
    try {
      CompletableFuture.anyOf(finished, stopped).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the " + role + " failed: " + e.getCause(), e.getCause());
    }
    if (finished.isDone() && !stopped.isDone()) {
      out.println("run '" + run + "' finished at step " + finished.join() + "; exiting");
      out.flush();
      member.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook closes the member again, which does nothing
      }
    }
  }
}
