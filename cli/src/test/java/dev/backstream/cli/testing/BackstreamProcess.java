package dev.backstream.cli.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code backstream} subcommand in a JVM of its own, on this test's class path. */
public final class BackstreamProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private BackstreamProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code backstream <args>}, its output going to {@code log}. */
  public static BackstreamProcess start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.backstream.cli.Main"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    return new BackstreamProcess(p, log);
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** SIGTERM: the process may clean up. Waits up to 20 s for it to exit; returns its exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  /** SIGKILL: no clean-up at all. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where its output goes. */
  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
