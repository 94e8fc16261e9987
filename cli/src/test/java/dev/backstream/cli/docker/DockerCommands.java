package dev.backstream.cli.docker;

import dev.backstream.cli.testing.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code docker} and {@code docker-compose} clients against the engine DOCKER_HOST names
 * (the environment is inherited). Debian's {@code /usr/bin/docker} is preferred: it builds
 * without buildx, which a newer client on PATH may need.
 */
final class DockerCommands {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private DockerCommands() {}

  /** The docker client, or null if there is none. */
  static Path docker() {
    Path debian = Path.of("/usr/bin/docker");
    return Files.isExecutable(debian) ? debian : Executables.onPath("docker");
  }

  /** The docker-compose 1.x client, or null if there is none. */
  static Path compose() {
    return Executables.onPath("docker-compose");
  }

  /** Runs {@code command} with {@code env} added; returns its output; throws unless it exits 0. */
  static String run(List<String> command, Map<String, String> env) {
    Result r = attempt(command, env);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode()
          + ": " + r.output());
    }
    return r.output();
  }

  /** Runs {@code command} with {@code env} added and returns its exit code and output. */
  static Result attempt(List<String> command, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("docker-cmd", ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
            .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not end within "
              + TIMEOUT.toSeconds() + " s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  /** A finished command: its exit code and everything it printed. */
  record Result(int exitCode, String output) {}
}
