package dev.backstream.cli.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One compose project (its own name, so its containers, network and volumes are its own) on the
 * real engine: the project's compose files, the variables a user would set, and the docker
 * commands a user or a failing machine would apply to its containers. Closing it keeps every
 * service's log in the log folder and removes the project with its volumes.
 */
final class ComposeProject implements AutoCloseable {
  private static final Pattern SHA = Pattern.compile("paramsSha256 ([0-9a-f]{64})");

  private final String name;
  private final List<Path> files;
  private final Map<String, String> env;
  private final Path logDir;

  ComposeProject(String name, List<Path> files, Map<String, String> env, Path logDir) {
    this.name = name;
    this.files = List.copyOf(files);
    this.env = Map.copyOf(env);
    this.logDir = logDir;
  }

  /** The project's name, as {@code docker-compose -p} takes it. */
  String name() {
    return name;
  }

  /** {@code docker-compose -p NAME -f ... args}, failing unless it exits 0. */
  String compose(String... args) {
    List<String> command = new ArrayList<>(List.of(DockerCommands.compose().toString(), "-p", name));
    for (Path f : files) {
      command.add("-f");
      command.add(f.toString());
    }
    command.addAll(Arrays.asList(args));
    return DockerCommands.run(command, env);
  }

  /** {@code docker args}, failing unless it exits 0. */
  String docker(String... args) {
    List<String> command = new ArrayList<>(List.of(DockerCommands.docker().toString()));
    command.addAll(Arrays.asList(args));
    return DockerCommands.run(command, env);
  }

  /** {@code up -d} with the images built beforehand (nothing is built or pulled here). */
  void up() {
    compose("up", "-d", "--no-build");
  }

  /** The ids of the service's containers, in compose's order. */
  List<String> containers(String service) {
    String out = compose("ps", "-q", service);
    return out.isBlank() ? List.of() : List.of(out.split("\\s+"));
  }

  /** The project's default network, which every service is on. */
  String network() {
    return name + "_default";
  }

  /** Status and exit code of a container, e.g. {@code "exited 0"} or {@code "running 0"}. */
  String state(String container) {
    return docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", container);
  }

  /** How often the engine restarted a container under its restart policy. */
  int restarts(String container) {
    return Integer.parseInt(docker("inspect", "-f", "{{.RestartCount}}", container).trim());
  }

  /**
   * Waits for the coordinator to exit 0 and returns the paramsSha256 it printed; fails on any
   * other exit or after {@code timeout}.
   */
  String awaitCoordinatorSha(Duration timeout) throws InterruptedException {
    String coordinator = containers("coordinator").get(0);
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = state(coordinator);
    while (!state.startsWith("exited")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the coordinator did not finish within " + timeout.toSeconds()
            + " s (" + state + "); logs in " + logDir);
      }
      Thread.sleep(1_000);
      state = state(coordinator);
    }
    if (!state.equals("exited 0")) {
      throw new AssertionError("the coordinator ended " + state + "; logs in " + logDir);
    }
    Matcher m = SHA.matcher(compose("logs", "--no-color", "coordinator"));
    String sha = null;
    while (m.find()) {
      sha = m.group(1);
    }
    if (sha == null) {
      throw new AssertionError("the coordinator exited 0 without a paramsSha256 line");
    }
    return sha;
  }

  /** Keeps every service's log, then removes containers, network and volumes. */
  @Override
  public void close() throws IOException {
    try {
      Files.createDirectories(logDir);
      Files.writeString(logDir.resolve(name + ".log"),
          compose("logs", "--no-color", "--timestamps"), StandardCharsets.UTF_8);
    } finally {
      compose("down", "-v", "--remove-orphans", "--timeout", "5");
    }
  }
}
