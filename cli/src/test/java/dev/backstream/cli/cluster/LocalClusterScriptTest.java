package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.coordinator.training.LocalTrainer;
import dev.backstream.coordinator.training.TrainingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/local-cluster.sh} end to end on the committed subset: a broker process, a
 * coordinator, a metrics tail and worker processes; scaled down to one worker and up to three
 * mid-run, the run ends on the local trainer's bits, and {@code down} leaves nothing running.
 */
class LocalClusterScriptTest {
  /** Long enough that two scale operations (three JVM start-ups) happen while it runs. */
  private static final TrainingSettings SETTINGS =
      new TrainingSettings(DatasetName.MNIST, 1000, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  private static final Duration COMMAND_WAIT = Duration.ofMinutes(3);
  private static final Duration REAP_WAIT = Duration.ofSeconds(10);
  private static final Pattern PID = Pattern.compile("(\\S+)\\s+pid (\\d+)\\s+running");

  @Test
  void scaledRunEndsOnTheLocalTrainersBitsAndDownStopsEverything() throws Exception {
    Path tmp = Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "local-cluster")), "run").toAbsolutePath();
    String expected = LocalRun.paramsSha256(SETTINGS);
    SubsetOnDisk.write(Files.createDirectories(tmp.resolve("data").resolve("mnist")));
    Map<String, String> env = environment(tmp);
    List<Long> pids = new ArrayList<>();
    try {
      assertThat(script(env, "up", "2")).contains("broker serving at 127.0.0.1:", "started worker-2");
      awaitFirstEpoch(tmp.resolve("cluster").resolve("metrics.log"));

      assertThat(script(env, "scale", "1")).contains("stopping worker-2", "1 worker(s) running");
      assertThat(script(env, "scale", "3")).contains("started worker-3", "started worker-4");
      String status = script(env, "status");
      pids.addAll(runningPids(status));
      assertThat(status).as("scaled mid-run").containsPattern("coordinator\\s+pid \\d+\\s+running")
          .containsPattern("worker-1\\s+pid \\d+\\s+running")
          .containsPattern("worker-4\\s+pid \\d+\\s+running")
          .doesNotContain("worker-2");

      assertThat(script(env, "wait", "600")).contains("paramsSha256 " + expected);
      JsonNode summary = new ObjectMapper().readTree(tmp.resolve("cluster/summary.json").toFile());
      assertThat(summary.get("paramsSha256").asText()).isEqualTo(expected);
      assertThat(summary.get("steps").asInt()).isEqualTo(SETTINGS.steps());
    } finally {
      String down = script(env, "down");
      assertThat(down).contains("stopped");
    }
    for (long pid : pids) {
      assertThat(gone(pid)).as("process %d after down", pid).isTrue();
    }
    assertThat(script(env, "status")).contains("(nothing running)");
  }

  @Test
  void mistakesAreOneLine() throws Exception {
    Path tmp = Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "local-cluster")), "usage").toAbsolutePath();
    Map<String, String> env = environment(tmp);
    assertThat(run(env, "up", "two")).contains("Invalid value 'two' for the worker count");
    assertThat(run(env, "scale", "3")).contains("no broker is running in");
    assertThat(run(env, "frobnicate")).contains("scripts/local-cluster.sh up [N]");
  }

  /** A private cluster folder and free ports; the backstream command runs this test's class path. */
  private static Map<String, String> environment(Path tmp) throws IOException {
    Path bin = tmp.resolve("backstream");
    Files.writeString(bin, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -cp '" + System.getProperty("java.class.path") + "' dev.backstream.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Map.of(
        "BACKSTREAM_CLUSTER_DIR", tmp.resolve("cluster").toString(),
        "BACKSTREAM_BIN", bin.toString(),
        "BACKSTREAM_BROKER_PORT", "0",
        "BACKSTREAM_BROKER_CONTROLLER_PORT", "0",
        "BACKSTREAM_DATA", tmp.resolve("data").toString(),
        "BACKSTREAM_RUN", "script",
        "BACKSTREAM_STEPS", Integer.toString(SETTINGS.steps()),
        "BACKSTREAM_SEED", Long.toString(SETTINGS.seed()),
        "BACKSTREAM_SHARDS", Integer.toString(SETTINGS.shards()));
  }

  /** Runs the script; fails the test unless it exits 0. Returns its output. */
  private static String script(Map<String, String> env, String... args) throws Exception {
    ProcessResult r = execute(env, args);
    assertThat(r.exitCode()).as("local-cluster.sh %s said:%n%s", String.join(" ", args), r.output()).isZero();
    return r.output();
  }

  /** Runs the script expecting failure; returns its output. */
  private static String run(Map<String, String> env, String... args) throws Exception {
    ProcessResult r = execute(env, args);
    assertThat(r.exitCode()).as("exit code of local-cluster.sh %s", String.join(" ", args)).isNotZero();
    return r.output();
  }

  private record ProcessResult(int exitCode, String output) {}

  private static ProcessResult execute(Map<String, String> env, String... args) throws Exception {
    Path script = repositoryRoot().resolve("scripts").resolve("local-cluster.sh");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("BACKSTREAM_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile(Path.of(env.get("BACKSTREAM_BIN")).getParent(), "script", ".out");
    Process p = pb.redirectOutput(out.toFile()).start();
    if (!p.waitFor(COMMAND_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("local-cluster.sh " + String.join(" ", args) + " did not finish within "
          + COMMAND_WAIT + ":\n" + Files.readString(out));
    }
    return new ProcessResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static void awaitFirstEpoch(Path metricsLog) throws Exception {
    long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
    Pattern row = Pattern.compile("(?m)^\\s+1\\s+\\d+\\s+0\\.");
    while (System.nanoTime() < deadline) {
      if (Files.exists(metricsLog) && row.matcher(Files.readString(metricsLog)).find()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no epoch in " + metricsLog + " within " + COMMAND_WAIT);
  }

  /** True once the process has exited and been reaped (an exited child of init lingers briefly). */
  private static boolean gone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + REAP_WAIT.toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static List<Long> runningPids(String status) {
    List<Long> pids = new ArrayList<>();
    Matcher m = PID.matcher(status);
    while (m.find()) {
      pids.add(Long.parseLong(m.group(2)));
    }
    return pids;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(dir.resolve("scripts").resolve("local-cluster.sh"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
