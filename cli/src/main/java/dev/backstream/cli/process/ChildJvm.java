package dev.backstream.cli.process;

import dev.backstream.cli.base.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A {@code backstream} subcommand in a JVM of its own, on this JVM's class path (the shaded jar,
 * or the test class path), its output going to a log file. Benchmarks use it to put Kafka's two
 * ends in different processes, as in a real run; multi-process tests use it to start, stop and
 * kill workers and brokers.
 *
 * <p>Every child is killed when this JVM exits, even on Ctrl-C: a forgotten worker would go on
 * using the CPU that the next measurement needs.
 */
public final class ChildJvm implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "backstream-bench-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code backstream <args>} in a new JVM.
   *
   * @param name what the child is, for messages ("worker 2")
   * @param log the file its standard output and error go to (replaced)
   * @param args the subcommand and its options
   * @throws UncheckedIOException if the JVM cannot be started
   */
  public static ChildJvm start(String name, Path log, List<String> args) {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp",
        System.getProperty("java.class.path"), "dev.backstream.cli.Main"));
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      LIVE.add(p);
      return new ChildJvm(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name + ": " + e.getMessage(), e);
    }
  }

  /** This JVM's own java binary, so that the child runs on the same Java as the parent. */
  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Waits until the child's output contains {@code text}.
   *
   * @throws UserException (exit 1) if the child exits first or {@code timeout} passes, naming its log
   */
  public void awaitOutput(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      checkAlive();
      if (System.nanoTime() > deadline) {
        throw UserException.failure(name + " did not print '" + text + "' within "
            + timeout.toSeconds() + " s; its output is in " + log);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Checks that the child still runs.
   *
   * @throws UserException (exit 1) naming its exit code and log, if it has exited
   */
  public void checkAlive() {
    if (!process.isAlive()) {
      LIVE.remove(process);
      throw UserException.failure(name + " exited with code " + process.exitValue()
          + "; its output is in " + log);
    }
  }

  /** The log file. */
  public Path log() {
    return log;
  }

  private String output() {
    try {
      // not readString: a malformed byte in a log must not hide the line we wait for
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the child still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no clean-up at all, as a crash would leave it. Waits for it to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
    LIVE.remove(process);
  }

  /**
   * SIGTERM, so that a worker says goodbye; SIGKILL if it is still there after 10 s.
   *
   * @return the exit code (143 after a SIGTERM that the JVM's shutdown hooks ended)
   */
  public int terminate() throws InterruptedException {
    try {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return process.isAlive() ? -1 : process.exitValue();
    } finally {
      if (process.isAlive()) {
        // interrupted while waiting: never leave it running
        process.destroyForcibly();
      }
      LIVE.remove(process);
    }
  }

  /** {@link #terminate()}. */
  @Override
  public void close() throws InterruptedException {
    terminate();
  }
}
