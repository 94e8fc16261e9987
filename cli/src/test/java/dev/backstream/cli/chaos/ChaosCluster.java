package dev.backstream.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster of separate JVMs on this machine, as `scripts/local-cluster.sh` runs one: a Kafka
 * broker process with a kept data directory (so it can be stopped and started again on the same
 * port), coordinator processes and worker processes, each logging to its own file under
 * {@code dir}.
 */
final class ChaosCluster implements AutoCloseable {
  private static final Duration BROKER_START = Duration.ofSeconds(90);

  private final Path dir;
  private final Path data;
  private final int port;
  private final int controllerPort;
  private final List<ChildJvm> children = new ArrayList<>();
  private ChildJvm broker;
  private int brokerStarts;

  private ChaosCluster(Path dir, int port, int controllerPort) throws IOException {
    this.dir = dir;
    this.data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Writes the test subset to disk and starts the broker. */
  static ChaosCluster start(Path dir) throws Exception {
    ChaosCluster cluster = new ChaosCluster(dir, EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort());
    cluster.startBroker();
    return cluster;
  }

  KafkaSettings kafka() {
    return KafkaSettings.of("127.0.0.1:" + port);
  }

  Path dir() {
    return dir;
  }

  /** Starts the broker (again) on the same ports and data directory; waits until it serves. */
  void startBroker() throws Exception {
    brokerStarts++;
    broker = ChildJvm.start("broker", dir.resolve("broker-" + brokerStarts + ".log"), List.of(
        "broker", "--port", Integer.toString(port), "--controller-port",
        Integer.toString(controllerPort), "--data", dir.resolve("kafka").toString()));
    broker.awaitOutput("Kafka broker serving at", BROKER_START);
  }

  /** Stops the broker as an operator would: SIGTERM, and waits for it to be gone. */
  void stopBroker() throws InterruptedException {
    broker.terminate();
  }

  /** Starts a coordinator process for {@code run} that writes its summary to {@code summary}. */
  ChildJvm coordinator(String name, String run, RunSpec s, Path summary,
      List<String> extra) {
    List<String> args = new ArrayList<>(List.of("coordinator", "--bootstrap", bootstrap(),
        "--run", run, "--data", data.toString(), "--steps", Integer.toString(s.steps()),
        "--batch", Integer.toString(s.batch()), "--lr", Double.toString(s.learningRate()),
        "--hidden", Integer.toString(s.hidden()), "--seed", Long.toString(s.seed()),
        "--shards", Integer.toString(s.shards()), "--summary", summary.toString()));
    args.addAll(extra);
    return child(name, args);
  }

  /** Starts a worker process for {@code run}. */
  ChildJvm worker(String name, String run, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("worker", "--bootstrap", bootstrap(), "--run", run,
        "--data", data.toString()));
    args.addAll(extra);
    return child(name, args);
  }

  private ChildJvm child(String name, List<String> args) {
    ChildJvm p = ChildJvm.start(name, dir.resolve(name + ".log"), args);
    children.add(p);
    return p;
  }

  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /**
   * Waits for a coordinator process to end, and reads the summary it wrote.
   *
   * @throws AssertionError if it does not end in time or ends without a summary
   */
  static JsonNode awaitSummary(ChildJvm coordinator, Path summary, Duration timeout)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (coordinator.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the coordinator did not finish within " + timeout.toSeconds()
            + " s; its output is in " + coordinator.log());
      }
      Thread.sleep(100);
    }
    int code = coordinator.terminate();
    if (code != 0 || !Files.exists(summary)) {
      throw new AssertionError("the coordinator exited with code " + code
          + "; its output is in " + coordinator.log());
    }
    return new ObjectMapper().readTree(summary.toFile());
  }

  /** Stops every process, the broker last. */
  @Override
  public void close() throws InterruptedException {
    for (ChildJvm p : children) {
      if (p.isAlive()) {
        p.kill();
      }
    }
    if (broker != null && broker.isAlive()) {
      broker.terminate();
    }
  }
}
