package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.training.LocalTrainer;
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
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/local-cluster.sh} end to end on the committed subset: a broker process, a
 * coordinator, a metrics tail and worker processes; scaled down to one worker and up to three,
 * a worker killed and restarted and the coordinator restarted mid-run, the run ends on the local
 * trainer's bits, workers and tail exit with it, and {@code down} leaves nothing running. On three
 * brokers the run survives losing the broker that leads the steps partition.
 */
class LocalClusterScriptTest {
  /** Long enough that two scale operations (three JVM start-ups) happen while it runs. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 1000, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  /** Three brokers and their replication are slower: fewer steps, still 20 epochs of the subset. */
  private static final RunSpec THREE_BROKERS =
      new RunSpec(DatasetName.MNIST, 400, 100, 0.1, 50, Activation.RELU, 7, 4, 0.01);
  // generous: on a 2-core machine shared with other builds a JVM start alone took 20 s
  private static final Duration COMMAND_WAIT = Duration.ofMinutes(6);
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

      // a killed worker and a running coordinator come back with the settings of `up`, even when
      // the shell that asks has none of them
      Path cluster = tmp.resolve("cluster");
      awaitCount(cluster.resolve("worker-3.log"), "serving run 'script'", 1);
      ProcessHandle.of(pidOf(status, "worker-3")).ifPresent(ProcessHandle::destroyForcibly);
      Map<String, String> bare = Map.of("BACKSTREAM_CLUSTER_DIR", env.get("BACKSTREAM_CLUSTER_DIR"),
          "BACKSTREAM_BIN", env.get("BACKSTREAM_BIN"));
      assertThat(script(bare, "restart", "worker", "3")).contains("restarted worker-3 (pid");
      assertThat(script(bare, "restart", "coordinator")).contains("stopping coordinator",
          "restarted coordinator (pid");
      status = script(bare, "status");
      pids.addAll(runningPids(status));
      assertThat(status).containsPattern("worker-3\\s+pid \\d+\\s+running")
          .containsPattern("coordinator\\s+pid \\d+\\s+running").contains("run 'script'");
      // the restarted worker appends to its log, after the first one's lines
      awaitCount(cluster.resolve("worker-3.log"), "serving run 'script'", 2);
      assertThat(Files.readString(cluster.resolve("worker-3.log")))
          .contains("local-cluster: restarted worker-3 at ");

      assertThat(script(bare, "wait", "600")).contains("paramsSha256 " + expected);
      JsonNode summary = new ObjectMapper().readTree(cluster.resolve("summary.json").toFile());
      assertThat(summary.get("paramsSha256").asText()).isEqualTo(expected);
      assertThat(summary.get("steps").asInt()).isEqualTo(SETTINGS.steps());
      assertThat(Files.readString(cluster.resolve("coordinator.log")))
          .as("the coordinator resumed rather than started again").contains("restarted coordinator at ");

      // workers and the metrics tail end with the run
      String after = awaitNoneRunning(env, "worker-", "metrics");
      assertThat(after).containsPattern("worker-1\\s+pid \\d+\\s+exited: the run is finished")
          .containsPattern("metrics\\s+pid \\d+\\s+exited: the run is finished");
      assertThat(Files.readString(cluster.resolve("worker-1.log")))
          .contains("run 'script' finished at step " + SETTINGS.steps() + "; exiting");
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
  void mistakesAreOneLineAndUsageMistakesExit2() throws Exception {
    Path tmp = Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "local-cluster")), "usage").toAbsolutePath();
    Map<String, String> env = environment(tmp);
    assertThat(usage(env, "up", "two")).contains("Invalid value 'two' for the worker count");
    assertThat(usage(env, "up", "--brokers", "2")).contains("Invalid value '2' for --brokers: must be 1 or 3");
    assertThat(usage(env, "scale", "x")).contains("Invalid value 'x' for scale");
    assertThat(usage(env, "wait", "soon")).contains("Invalid value 'soon' for wait");
    assertThat(usage(env, "restart", "broker")).contains("Invalid value 'broker' for restart");
    assertThat(usage(env, "restart", "worker", "one")).contains("Invalid value 'one' for restart worker");
    assertThat(usage(env, "restart", "worker", "7")).contains("no worker-7 in");
    assertThat(usage(env, "frobnicate")).contains("unknown command 'frobnicate'; commands are: up, scale,");
    assertThat(usage(env)).contains("scripts/local-cluster.sh up [N]");
    ProcessResult noBroker = execute(env, "scale", "3");
    assertThat(noBroker.output()).contains("no broker is running in");
    assertThat(noBroker.exitCode()).as("not a usage mistake").isEqualTo(1);
  }

  /**
   * Three KRaft nodes: the run ends on the local trainer's bits although the broker that leads
   * the steps partition is killed mid-run and stays dead. The longest gap between two steps'
   * publication is written to target/local-cluster/broker-loss.txt.
   */
  @Test
  void threeBrokersEndOnTheLocalBitsAfterLosingTheStepsLeader() throws Exception {
    Path tmp = Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "local-cluster")), "brokers").toAbsolutePath();
    String expected = LocalRun.paramsSha256(THREE_BROKERS);
    SubsetOnDisk.write(Files.createDirectories(tmp.resolve("data").resolve("mnist")));
    Map<String, String> env = new java.util.HashMap<>(environment(tmp, THREE_BROKERS));
    env.put("BACKSTREAM_KAFKA_CLASSPATH", System.getProperty("java.class.path"));
    env.put("BACKSTREAM_KAFKA_HEAP", "-Xmx512m");
    Path cluster = tmp.resolve("cluster");
    try {
      assertThat(script(env, "up", "2", "--brokers", "3")).contains("3 brokers serving at 127.0.0.1:");
      String bootstrap = Files.readString(cluster.resolve("bootstrap")).trim();
      assertThat(bootstrap.split(",")).hasSize(3);
      try (StepTimes steps = new StepTimes(KafkaSettings.of(bootstrap), "script")) {
        awaitFirstEpoch(cluster.resolve("metrics.log"));
        int leader;
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap).admin("test-leader"))) {
          String topic = Topics.forRun("script").steps();
          var partition = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
              .get(topic).partitions().get(0);
          assertThat(partition.replicas()).as("the steps topic is replicated 3 times").hasSize(3);
          leader = partition.leader().id();
        }
        long killed = Long.parseLong(Files.readString(cluster.resolve("broker-" + leader + ".pid")).trim());
        long stepAtKill = steps.latest();
        ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(gone(killed)).as("broker-%d killed", leader).isTrue();

        assertThat(script(env, "wait", "600")).contains("paramsSha256 " + expected);
        JsonNode summary = new ObjectMapper().readTree(cluster.resolve("summary.json").toFile());
        assertThat(summary.get("paramsSha256").asText()).isEqualTo(expected);
        assertThat(stepAtKill).as("the kill happened mid-run").isLessThan(THREE_BROKERS.steps());
        assertThat(script(env, "status")).as("the run went on without the killed broker")
            .containsPattern("broker-" + leader + "\\s+pid \\d+\\s+exited");
        StepTimes.Gap gap = steps.longestGap();
        Files.writeString(Path.of("target", "local-cluster", "broker-loss.txt"), String.format(
            "killed broker-%d (leader of the steps partition) at step %d; longest gap between steps:"
                + " %d ms, before step %d; median gap %d ms; %d steps seen%n",
            leader, stepAtKill, gap.millis(), gap.beforeStep(), steps.medianGapMillis(), steps.count()));
      }
    } finally {
      assertThat(script(env, "down")).contains("stopped");
    }
  }

  /** A private cluster folder and free ports; the backstream command runs this test's class path. */
  private static Map<String, String> environment(Path tmp) throws IOException {
    return environment(tmp, SETTINGS);
  }

  private static Map<String, String> environment(Path tmp, RunSpec settings)
      throws IOException {
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
        "BACKSTREAM_STEPS", Integer.toString(settings.steps()),
        "BACKSTREAM_SEED", Long.toString(settings.seed()),
        "BACKSTREAM_SHARDS", Integer.toString(settings.shards()));
  }

  /** Runs the script; fails the test unless it exits 0. Returns its output. */
  private static String script(Map<String, String> env, String... args) throws Exception {
    ProcessResult r = execute(env, args);
    assertThat(r.exitCode()).as("local-cluster.sh %s said:%n%s", String.join(" ", args), r.output()).isZero();
    return r.output();
  }

  /** Runs the script expecting a usage mistake (exit 2); returns its output. */
  private static String usage(Map<String, String> env, String... args) throws Exception {
    ProcessResult r = execute(env, args);
    assertThat(r.exitCode()).as("exit code of local-cluster.sh %s; it said:%n%s", String.join(" ", args),
        r.output()).isEqualTo(2);
    return r.output();
  }

  /** Runs the script expecting failure; returns its output. */
  private static String run(Map<String, String> env, String... args) throws Exception {
    ProcessResult r = execute(env, args);
    assertThat(r.exitCode()).as("exit code of local-cluster.sh %s", String.join(" ", args)).isNotZero();
    return r.output();
  }

  record ProcessResult(int exitCode, String output) {}

  private static ProcessResult execute(Map<String, String> env, String... args) throws Exception {
    Path script = repositoryRoot().resolve("scripts").resolve("local-cluster.sh");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("BACKSTREAM_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile(Path.of(env.get("BACKSTREAM_BIN")).getParent(), "script", ".out");
    Process p = pb.redirectOutput(out.toFile()).start();
    // `wait N` may take its N seconds
    Duration limit = args.length == 2 && args[0].equals("wait") && args[1].matches("[0-9]+")
        ? COMMAND_WAIT.plusSeconds(Long.parseLong(args[1])) : COMMAND_WAIT;
    if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("local-cluster.sh " + String.join(" ", args) + " did not finish within "
          + limit + ":\n" + Files.readString(out));
    }
    return new ProcessResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  /** Waits until {@code log} holds {@code text} at least {@code times} times. */
  private static void awaitCount(Path log, String text, int times) throws Exception {
    long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String content = Files.exists(log) ? Files.readString(log) : "";
      if (content.split(Pattern.quote(text), -1).length - 1 >= times) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("'" + text + "' not " + times + " time(s) in " + log + " within " + COMMAND_WAIT);
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

  /** Polls status until no process whose name starts with one of {@code names} runs; the status. */
  private static String awaitNoneRunning(Map<String, String> env, String... names) throws Exception {
    long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
    while (true) {
      String status = script(env, "status");
      boolean running = false;
      Matcher m = PID.matcher(status);
      while (m.find()) {
        for (String name : names) {
          running |= m.group(1).startsWith(name);
        }
      }
      if (!running) {
        return status;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still running " + COMMAND_WAIT + " after the run's end:\n" + status);
      }
      Thread.sleep(500);
    }
  }

  private static long pidOf(String status, String name) {
    Matcher m = PID.matcher(status);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return Long.parseLong(m.group(2));
      }
    }
    throw new AssertionError("no running " + name + " in:\n" + status);
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
