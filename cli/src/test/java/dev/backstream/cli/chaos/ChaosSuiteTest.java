package dev.backstream.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite: coordinator, workers and broker in separate JVMs, one fault per scenario, and
 * every scenario must end on the quiet run's {@code paramsSha256}. Each scenario's figures (shards
 * handed out again, frames rejected by reason, the step resumed from, wall time) are printed and
 * kept in {@code target/chaos/report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosSuiteTest {
  /** 30 epochs of the 2,000-image subset: long enough for several faults, short enough for CI. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 600, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
  private static final int KILLS = 4;
  private static final Duration STEP_WAIT = Duration.ofSeconds(120);
  private static final Pattern RESUMED = Pattern.compile("resuming run '[^']+' from step (\\d+)");

  private static ChaosCluster cluster;
  private static String quietSha;
  private static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    quietSha = LocalRun.paramsSha256(SETTINGS);
    Path dir = Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "chaos")), "suite");
    cluster = ChaosCluster.start(dir);
    report.add("| scenario | paramsSha256 = quiet | shards re-sent | frames rejected by reason"
        + " | resumed from step | wall s |");
    report.add("|---|---|---|---|---|---|");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    String text = String.join("\n", report) + "\n";
    Files.writeString(Path.of("target", "chaos", "report.md"), text, StandardCharsets.UTF_8);
    System.out.println("chaos suite (logs in " + (cluster == null ? "?" : cluster.dir()) + "):\n"
        + text);
  }

  @Test
  @Order(0)
  void quietRun() throws Exception {
    Scenario s = new Scenario("quiet", List.of());
    s.workers(2);
    s.finish(null);
  }

  @Test
  @Order(1)
  void workersKilledAndRestartedEveryFewSeconds() throws Exception {
    Scenario s = new Scenario("kill-workers", List.of());
    List<ChildJvm> workers = s.workers(3);
    Random random = new Random(1);
    int kills = 0;
    try (RunWatcher watcher = s.watch()) {
      watcher.awaitStep(20, STEP_WAIT);
      // a kill every few seconds, each worker started again at once; the next kill waits until
      // the new one serves, so that the run is never left without workers for long
      while (s.coordinator.isAlive() && kills < KILLS) {
        Thread.sleep(3_000);
        int victim = random.nextInt(workers.size());
        workers.get(victim).kill();
        kills++;
        ChildJvm replacement = s.worker();
        workers.set(victim, replacement);
        try {
          replacement.awaitOutput("serving run", STEP_WAIT);
        } catch (UserException e) {
          // the run ended while it started: a worker on a finished run says so and exits 0
          assertThat(Files.readString(replacement.log())).as(e.getMessage()).contains("is finished");
          break;
        }
      }
    }
    JsonNode summary = s.finish(null);
    assertThat(kills).as("kills before the run ended").isGreaterThanOrEqualTo(2);
    assertThat(summary.get("shardsResent").asLong()).isPositive();
  }

  @Test
  @Order(2)
  void coordinatorKilledMidEpochAndStartedAgain() throws Exception {
    Scenario s = new Scenario("kill-coordinator", List.of());
    s.workers(2);
    try (RunWatcher watcher = s.watch()) {
      // mid-epoch: 20 steps an epoch, checkpoints at every epoch's end
      watcher.awaitStep(250, STEP_WAIT);
    }
    s.coordinator.kill();
    s.restartCoordinator();
    s.coordinator.awaitOutput("resuming run", STEP_WAIT);
    long resumedFrom = s.resumedFrom();
    s.finish(resumedFrom);
    // the newest checkpoint before the kill: every epoch's end (20 steps) has one
    assertThat(resumedFrom).isBetween(240L, 260L);
  }

  @Test
  @Order(3)
  void brokerStoppedForTenSecondsMidRun() throws Exception {
    Scenario s = new Scenario("stop-broker", List.of());
    s.workers(2);
    try (RunWatcher watcher = s.watch()) {
      watcher.awaitStep(200, STEP_WAIT);
    }
    cluster.stopBroker();
    Thread.sleep(10_000);
    cluster.startBroker();
    JsonNode summary = s.finish(null);
    assertThat(summary.get("steps").asLong()).isEqualTo(SETTINGS.steps());
  }

  @Test
  @Order(4)
  void poisonRecordsOfEveryKind() throws Exception {
    Scenario s = new Scenario("poison", List.of());
    s.workers(2);
    int perKind = 1_000;
    try (RunWatcher watcher = s.watch();
        PoisonRecords poison = new PoisonRecords(cluster.kafka(), s.run, 4)) {
      watcher.awaitStep(100, STEP_WAIT);
      for (PoisonRecords.Kind kind : PoisonRecords.Kind.values()) {
        watcher.poll(Duration.ofMillis(200));
        StepFrame now = watcher.latestStep();
        poison.send(kind, perKind, now, watcher.latestGradient(), watcher.latestGradientBytes(),
            watcher.latestStepBytes());
      }
      poison.sendBadHeartbeats(perKind);
    }
    JsonNode summary = s.finish(null);
    JsonNode rejected = summary.get("rejectedByReason");
    assertThat(summary.get("framesRejected").asLong()).isGreaterThanOrEqualTo(9L * perKind);
    for (String reason : List.of("BAD_MAGIC", "BAD_CRC", "BAD_LENGTH", "NON_FINITE",
        "WRONG_RUN", "STALE_GENERATION", "BAD_VALUE")) {
      assertThat(rejected.path(reason).asLong()).as(reason).isGreaterThanOrEqualTo(perKind);
    }
    // a duplicate of a real gradient is refused as a duplicate, or as stale once its step is over
    assertThat(rejected.path("DUPLICATE").asLong() + rejected.path("STALE_STEP").asLong())
        .isGreaterThanOrEqualTo(2L * perKind);
  }

  @Test
  @Order(5)
  void aProducerWithoutTheRunKey() throws Exception {
    Path key = cluster.dir().resolve("run.key");
    Files.writeString(key, "chaos-suite-run-key-0123456789\n");
    Scenario s = new Scenario("rogue", List.of("--run-key", key.toString()));
    s.workers(2);
    int forgeries = 500;
    try (RunWatcher watcher = s.watch();
        PoisonRecords rogue = new PoisonRecords(cluster.kafka(), s.run, 5)) {
      for (long at : new long[] {100, 300}) {
        StepFrame now = watcher.awaitStep(at, STEP_WAIT);
        rogue.forge(forgeries / 2, now,
            RunKey.of("not-the-run-key-0123456789".getBytes(StandardCharsets.UTF_8)));
      }
    }
    JsonNode summary = s.finish(null);
    // each forged gradient is refused by the coordinator, each forged step by both workers
    assertThat(summary.get("rejectedByReason").path("BAD_TAG").asLong())
        .isGreaterThanOrEqualTo(forgeries + 2L * forgeries);
  }

  /** One run of the suite: its coordinator, its workers, and its line of the report. */
  private static final class Scenario {
    final String name;
    final String run;
    final List<String> extra;
    final Path summaryFile;
    final long started = System.nanoTime();
    ChildJvm coordinator;
    private int workers;
    private int coordinators;

    Scenario(String name, List<String> extra) {
      this.name = name;
      this.run = "chaos-" + name;
      this.extra = extra;
      this.summaryFile = cluster.dir().resolve(name + "-summary.json");
      this.coordinator = startCoordinator();
    }

    private ChildJvm startCoordinator() {
      coordinators++;
      return cluster.coordinator(name + "-coordinator-" + coordinators, run, SETTINGS, summaryFile,
          extra);
    }

    void restartCoordinator() {
      coordinator = startCoordinator();
    }

    List<ChildJvm> workers(int n) {
      List<ChildJvm> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(worker());
      }
      return out;
    }

    ChildJvm worker() {
      workers++;
      return cluster.worker(name + "-worker-" + workers, run, extra);
    }

    RunWatcher watch() {
      return new RunWatcher(cluster.kafka(), run);
    }

    /** The step the newest coordinator resumed from, from its log; -1 if it started afresh. */
    long resumedFrom() throws IOException {
      Matcher m = RESUMED.matcher(Files.readString(coordinator.log(), StandardCharsets.ISO_8859_1));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Waits for the coordinator, checks the model and adds the report line. */
    JsonNode finish(Long resumedFrom) throws Exception {
      JsonNode summary = ChaosCluster.awaitSummary(coordinator, summaryFile, RUN_TIMEOUT);
      double wall = (System.nanoTime() - started) / 1e9;
      String sha = summary.get("paramsSha256").asText();
      report.add(String.format("| %s | %s | %d | %s | %s | %.1f |", name,
          sha.equals(quietSha) ? "yes" : "NO (" + sha.substring(0, 12) + ")",
          summary.get("shardsResent").asLong(), summary.get("rejectedByReason"),
          resumedFrom == null ? "-" : resumedFrom.toString(), wall));
      assertThat(sha).as("scenario %s ends on the quiet run's model", name).isEqualTo(quietSha);
      return summary;
    }
  }
}
