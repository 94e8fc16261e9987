package dev.backstream.cli.cluster;

import dev.backstream.cli.base.Causes;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.coordinator.Checkpoints;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Turns SIGTERM or Ctrl-C into an interrupt of the thread that opened it, and holds the JVM's
 * shutdown until that thread has closed it (at most 20 s): a coordinator so stopped writes its
 * checkpoint, and the command says what was kept, before the process ends. The process then exits
 * with the JVM's own code for the signal (143 for SIGTERM, 130 for Ctrl-C), as shells expect.
 *
 * <p>A stop opened {@linkplain #whileStarting starting} first runs a phase that writes nothing
 * (loading the data, which may block on a slow disk and does not heed interrupts): a signal then
 * only says so and lets the process end at once, with nothing to wait for.
 */
public final class GracefulStop implements AutoCloseable {
  private static final long WAIT_SECONDS = 20;
  private static final int STARTING = 0;
  private static final int WORKING = 1;
  private static final int STOPPED_STARTING = 2;

  private final Thread hook;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicInteger phase;
  private volatile boolean closed;
  private volatile boolean signalled;

  private GracefulStop(String name, int phase, PrintWriter err, String startingLine) {
    Thread worker = Thread.currentThread();
    this.phase = new AtomicInteger(phase);
    this.hook = new Thread(() -> {
      if (closed) {
        return;
      }
      if (this.phase.compareAndSet(STARTING, STOPPED_STARTING)) {
        err.println("backstream: stopped " + startingLine);
        err.flush();
        return;
      }
      signalled = true;
      worker.interrupt();
      try {
        done.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
  }

  /** Registers the hook for the calling thread. */
  public static GracefulStop onSignal(String name) {
    return register(new GracefulStop(name, WORKING, null, null));
  }

  /**
   * Registers the hook for the calling thread, which first runs a phase that writes nothing: until
   * {@link #started()}, a signal prints {@code "backstream: stopped " + startingLine} to {@code err}
   * and the process ends without waiting for that phase.
   */
  public static GracefulStop whileStarting(String name, PrintWriter err, String startingLine) {
    return register(new GracefulStop(name, STARTING, err, startingLine));
  }

  private static GracefulStop register(GracefulStop stop) {
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /**
   * Ends the phase that writes nothing: from now on a signal interrupts the thread and waits for
   * {@link #close}.
   *
   * @return false if a signal came first: the process is ending, and the caller should do nothing
   *     more than return {@link ExitCodes#STOPPED}
   */
  public boolean started() {
    return phase.compareAndSet(STARTING, WORKING) || phase.get() == WORKING;
  }

  /** True once a signal asked the process to stop. */
  public boolean signalled() {
    return signalled;
  }

  /**
   * True when {@code e} is how this stop's interrupt surfaced after a signal: an
   * {@link InterruptedException}, or the unchecked {@link InterruptException} a Kafka client throws
   * when interrupted mid-call, however wrapped. Such an exception leaves the thread interrupted;
   * this clears the flag, so that what was kept can still be read back before the process ends.
   *
   * @param e what the interrupted work threw
   * @return whether to report a stop rather than an error
   */
  public boolean absorbs(Throwable e) {
    if (!signalled || !isInterrupt(e)) {
      return false;
    }
    Thread.interrupted();
    return true;
  }

  /** Whether {@code e} or one of its causes is an interrupt, Java's or a Kafka client's. */
  static boolean isInterrupt(Throwable e) {
    return Causes.any(e, InterruptedException.class, InterruptException.class);
  }


  /**
   * Prints {@code "backstream: stopped; " + what} to {@code err} and returns the exit code of a
   * stop by SIGTERM. Call before {@link #close}: the JVM may end as soon as it is closed.
   */
  public int stopped(PrintWriter err, String what) {
    err.println("backstream: stopped; " + what);
    err.flush();
    return ExitCodes.STOPPED;
  }

  /**
   * What a stopped run over Kafka kept: "checkpoint at step N of run 'R' on SERVERS", read back
   * from its checkpoints topic, so that the step is the one a new coordinator resumes from.
   */
  public static String kept(KafkaSettings kafka, String run, RunKey key, Duration timeout) {
    try {
      return Checkpoints.newest(kafka, run, key, timeout)
          .map(c -> "checkpoint at step " + c.step() + " of run '" + run + "' on "
              + kafka.bootstrapServers() + "; a coordinator of the run resumes from it")
          .orElse("run '" + run + "' has no checkpoint yet");
    } catch (RuntimeException e) {
      return "the checkpoint of run '" + run + "' could not be read back: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    closed = true;
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running and has just been released
    }
  }
}
