package dev.backstream.cli.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM or Ctrl-C into an interrupt of the thread that opened it, and holds the JVM's
 * shutdown until that thread has closed it (at most 20 s): a coordinator so stopped writes its
 * checkpoint before the process ends.
 */
final class GracefulStop implements AutoCloseable {
  private static final long WAIT_SECONDS = 20;

  private final Thread hook;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean closed;

  private GracefulStop(String name) {
    Thread worker = Thread.currentThread();
    this.hook = new Thread(() -> {
      if (closed) {
        return;
      }
      worker.interrupt();
      try {
        done.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
  }

  /** Registers the hook for the calling thread. */
  static GracefulStop onSignal(String name) {
    GracefulStop stop = new GracefulStop(name);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
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
