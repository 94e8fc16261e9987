package dev.backstream.cli.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.DockerEngine;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * docker-compose.yml on a real Docker engine, as a user runs it, one fault per scenario: each run
 * must end on {@code train --local}'s paramsSha256 with the same settings. Runs where .ci/run put
 * an engine, docker-compose and the images of scripts/docker-images.sh; elsewhere every scenario
 * is reported skipped with the reason. Per scenario (workers, faults, the longest gap between two
 * steps, wall time, SHA equal) the figures go to {@code target/docker/report.md}.
 *
 * <p>The data is the committed MNIST subset, bind-mounted by {@code src/test/resources/docker/e2e.yml}
 * (no download), and the broker image is ours, so the same compose file is run as with apache/kafka.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeScenariosTest {
  /**
   * 60 epochs of the 2,000-image subset (20 steps each): long enough that a fault at step 210 and
   * its docker command (seconds, on a busy host) land well before the end.
   */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 1200, 100, 0.1, 50, Activation.RELU, 0, 4, 0.01);
  /** The committed subset's training images. */
  private static final int TRAIN_IMAGES = 2_000;
  /** Where each fault strikes: a sixth into the run, and not on an epoch's boundary. */
  private static final long FAULT_STEP = 210;
  private static final Duration STEP_WAIT = Duration.ofMinutes(5);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  private static final String APP_IMAGE = "backstream:latest";
  private static final Path ROOT = repositoryRoot();
  private static final Path OUT = Path.of("target", "docker").toAbsolutePath();
  private static final Pattern RESUMED = Pattern.compile("resuming run '[^']+' from step (\\d+)");
  private static final Pattern JOINED = Pattern.compile("worker (\\S+)/\\d+ joined");

  private static String quietSha;
  private static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void referenceRun() throws Exception {
    Files.createDirectories(OUT);
    report.add("| scenario | brokers | workers | fault | pause s (longest gap between steps from the fault on) | longest gap s in the whole run | wall s | paramsSha256 = train --local |");
    report.add("|---|---|---|---|---|---|---|---|");
  }

  @AfterAll
  static void writeReport() throws IOException {
    List<String> lines = new ArrayList<>(report);
    lines.add("");
    lines.add("Settings: " + SETTINGS.steps() + " steps of the committed MNIST subset, batch "
        + SETTINGS.batch() + ", " + SETTINGS.shards() + " shards, seed " + SETTINGS.seed()
        + "; each fault once the run reached step " + FAULT_STEP + " (the scale at the second"
        + " epoch), at the step given (as the host read it when the docker command returned)."
        + " Pause: the longest gap between two consecutive step records' timestamps from the step"
        + " read just before the fault's docker command on; the whole run's longest gap beside it"
        + " (often the first step's, while the workers' JVMs warm up)."
        + " Logs: " + OUT + ".");
    if (report.size() > 2) {
      Files.writeString(OUT.resolve("report.md"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
  }

  @Test
  @Order(1)
  void composeUpTrainsToTheEnd() throws Exception {
    try (Scenario s = new Scenario("up", 1, 2)) {
      s.finish("none");
    }
  }

  @Test
  @Order(2)
  void scaleToThreeWorkersMidRun() throws Exception {
    try (Scenario s = new Scenario("scale", 1, 2)) {
      // Early: a new worker's JVM needs tens of seconds to join on a busy host, and must join
      // before the run ends for the scenario to mean anything.
      long step = SETTINGS.stepsPerEpoch(TRAIN_IMAGES) + 5;
      s.clock.awaitStep(step, STEP_WAIT);
      s.clock.markFault();
      s.project.compose("up", "-d", "--no-build", "--no-deps", "--no-recreate", "--scale", "worker=3", "worker");
      assertThat(s.project.containers("worker")).hasSize(3);
      s.workers = "2 -> 3";
      s.finish("--scale worker=3 at step " + s.clock.latestStep());
      assertThat(s.joined()).as("workers the coordinator saw join").isEqualTo(3);
    }
  }

  @Test
  @Order(3)
  void killAWorkerContainer() throws Exception {
    try (Scenario s = new Scenario("kill-worker", 1, 2)) {
      s.clock.awaitStep(FAULT_STEP, STEP_WAIT);
      String victim = s.project.containers("worker").get(0);
      s.clock.markFault();
      s.project.docker("kill", victim);
      s.workers = "2 -> 1";
      s.finish("docker kill of a worker at step " + s.clock.latestStep());
      // docker kill is a user's stop: the restart policy does not bring the worker back
      assertThat(s.project.state(victim)).startsWith("exited");
    }
  }

  @Test
  @Order(4)
  void restartTheCoordinatorMidEpoch() throws Exception {
    try (Scenario s = new Scenario("restart-coordinator", 1, 2)) {
      long step = FAULT_STEP + 100 + SETTINGS.batch() / 10; // 320: mid-epoch, past a checkpoint
      s.clock.awaitStep(step, STEP_WAIT);
      long at = s.clock.latestStep();
      s.clock.markFault();
      s.project.compose("restart", "coordinator");
      long from = s.resumedFrom(STEP_WAIT);
      assertThat(from).as("resumed mid-run, not after the end").isPositive().isLessThan(SETTINGS.steps());
      long perEpoch = SETTINGS.stepsPerEpoch(TRAIN_IMAGES);
      s.finish("docker compose restart coordinator issued at step " + at + ", resumed from step " + from
          + (from % perEpoch == 0 ? " (an epoch's end)" : " (mid-epoch)"));
    }
  }

  @Test
  @Order(5)
  void killTheBrokerLeadingStepsAndGradients() throws Exception {
    try (Scenario s = new Scenario("kill-leader-broker", 3, 2)) {
      s.clock.awaitStep(FAULT_STEP, STEP_WAIT);
      Topics topics = Topics.forRun(s.run);
      int stepsLeader;
      int gradientsLeader;
      try (Admin admin = Admin.create(KafkaSettings.of(s.bootstrap).admin("docker-e2e"))) {
        Map<String, TopicDescription> d = admin.describeTopics(List.of(topics.steps(), topics.gradients()))
            .allTopicNames().get();
        assertThat(d.get(topics.steps()).partitions().get(0).replicas()).as("replicas of steps").hasSize(3);
        stepsLeader = d.get(topics.steps()).partitions().get(0).leader().id();
        gradientsLeader = d.get(topics.gradients()).partitions().get(0).leader().id();
      }
      String service = stepsLeader == 1 ? "kafka" : "kafka-" + stepsLeader;
      String broker = s.project.containers(service).get(0);
      s.clock.markFault();
      s.project.docker("kill", broker);
      long at = s.clock.latestStep();
      s.finish("docker kill of broker " + stepsLeader + " (leads steps"
          + (gradientsLeader == stepsLeader ? " and gradients" : "; gradients led by " + gradientsLeader)
          + ") at step " + at + ", not restarted");
      assertThat(s.project.state(broker)).as("the killed broker stayed down").startsWith("exited");
    }
  }

  @Test
  @Order(6)
  void disconnectAWorkerFromTheNetworkForTenSeconds() throws Exception {
    try (Scenario s = new Scenario("network-disconnect", 1, 2)) {
      s.clock.awaitStep(FAULT_STEP, STEP_WAIT);
      String worker = s.project.containers("worker").get(0);
      s.clock.markFault();
      s.project.docker("network", "disconnect", s.project.network(), worker);
      long at = s.clock.latestStep();
      Thread.sleep(10_000);
      s.project.docker("network", "connect", s.project.network(), worker);
      s.finish("docker network disconnect of a worker for 10 s at step " + at);
    }
  }

  /** One compose project: started in the constructor, checked and reported by finish. */
  private static final class Scenario implements AutoCloseable {
    final String run;
    final String bootstrap;
    final ComposeProject project;
    final StepClock clock;
    final int brokers;
    final long started = System.nanoTime();
    String workers;
    private final String name;

    Scenario(String name, int brokers, int workers) throws Exception {
      assumeEngine();
      if (quietSha == null) {
        quietSha = LocalRun.paramsSha256(SETTINGS);
      }
      this.name = name;
      this.brokers = brokers;
      this.workers = Integer.toString(workers);
      this.run = "e2e-" + name;
      List<Path> files = new ArrayList<>(List.of(ROOT.resolve("docker-compose.yml")));
      if (brokers == 3) {
        files.add(ROOT.resolve("docker-compose.brokers3.yml"));
      }
      files.add(ROOT.resolve("cli/src/test/resources/docker/e2e.yml"));
      Map<String, String> env = new HashMap<>();
      env.put("KAFKA_IMAGE", KafkaBroker.image().asCanonicalNameString());
      env.put("BACKSTREAM_IMAGE_TAG", "latest");
      env.put("BACKSTREAM_E2E_DATA", ROOT.resolve("common/src/test/resources/mnist-subset").toString());
      env.put("BACKSTREAM_RUN", run);
      env.put("BACKSTREAM_WORKERS", Integer.toString(workers));
      env.put("BACKSTREAM_STEPS", Integer.toString(SETTINGS.steps()));
      env.put("BACKSTREAM_BATCH", Integer.toString(SETTINGS.batch()));
      env.put("BACKSTREAM_LR", Double.toString(SETTINGS.learningRate()));
      env.put("BACKSTREAM_HIDDEN", Integer.toString(SETTINGS.hidden()));
      env.put("BACKSTREAM_ACTIVATION", SETTINGS.activation().name().toLowerCase(Locale.ROOT));
      env.put("BACKSTREAM_SEED", Long.toString(SETTINGS.seed()));
      env.put("BACKSTREAM_SHARDS", Integer.toString(SETTINGS.shards()));
      env.put("BACKSTREAM_HTTP_PORT", Integer.toString(freePort()));
      List<String> hostBrokers = new ArrayList<>();
      String[] portVars = {"KAFKA_HOST_PORT", "KAFKA_2_HOST_PORT", "KAFKA_3_HOST_PORT"};
      for (int i = 0; i < brokers; i++) {
        int port = freePort();
        env.put(portVars[i], Integer.toString(port));
        hostBrokers.add("localhost:" + port);
      }
      this.bootstrap = String.join(",", hostBrokers);
      this.project = new ComposeProject("bs-e2e-" + name, files, env, OUT);
      project.compose("down", "-v", "--remove-orphans", "--timeout", "5"); // a previous run's leftovers
      project.up();
      this.clock = new StepClock(bootstrap, run);
    }

    /** The step the restarted coordinator resumed from, as its log says, once it says so. */
    long resumedFrom(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      do {
        Matcher resumed = RESUMED.matcher(project.compose("logs", "--no-color", "coordinator"));
        if (resumed.find()) {
          return Long.parseLong(resumed.group(1));
        }
        Thread.sleep(500);
      } while (System.nanoTime() < deadline);
      throw new AssertionError("the restarted coordinator said no 'resuming run' within " + timeout);
    }

    /** How many distinct workers the coordinator logged as joined. */
    long joined() {
      return JOINED.matcher(project.compose("logs", "--no-color", "coordinator")).results()
          .map(m -> m.group(1)).distinct().count();
    }

    /** Waits for the end, records the scenario's figures and checks its model. */
    void finish(String fault) throws Exception {
      String sha = project.awaitCoordinatorSha(RUN_TIMEOUT);
      double wall = (System.nanoTime() - started) / 1e9;
      long faultGap = clock.faultGapMs();
      report.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.1f (after step %d) | %.0f | %s |",
          name, brokers, workers, fault, faultGap < 0 ? "-" : String.format(Locale.ROOT, "%.1f", faultGap / 1e3),
          clock.longestGapMs() / 1e3, clock.longestGapAfterStep(),
          wall, sha.equals(quietSha) ? "yes" : "NO (" + sha.substring(0, 12) + ")"));
      assertThat(sha).as("scenario %s ends on train --local's model", name).isEqualTo(quietSha);
    }

    @Override
    public void close() throws Exception {
      try {
        clock.close();
      } finally {
        project.close();
      }
    }
  }

  /** Skips, with the reason, where the engine, the client or an image is missing. */
  private static void assumeEngine() {
    Assumptions.assumeTrue(DockerCommands.compose() != null,
        "docker-compose is not installed: .ci/run installs Debian's docker-compose 1.29");
    Assumptions.assumeTrue(DockerCommands.docker() != null, "no docker client");
    DockerEngine.assumeUsable(KafkaBroker.image().asCanonicalNameString(), APP_IMAGE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
