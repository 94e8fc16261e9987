package dev.backstream.cli.bench;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Kafka a benchmark with child JVMs measures on (an embedded broker in this process, or the
 * cluster of {@code --bootstrap}, checked to answer) and the folder its children log to. Closing
 * stops the embedded broker, and deletes the logs only if {@link #succeeded} was called: after a
 * failure they are what tells why.
 */
final class BenchCluster implements AutoCloseable {
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedKafkaBroker broker;
  private final KafkaSettings kafka;
  private final Path logs;
  private boolean succeeded;

  private BenchCluster(EmbeddedKafkaBroker broker, KafkaSettings kafka, Path logs) {
    this.broker = broker;
    this.kafka = kafka;
    this.logs = logs;
  }

  /**
   * Starts an embedded broker if {@code bootstrap} is null, and checks that the cluster answers.
   *
   * @param name the benchmark's run prefix ("bench-step"), also the logs folder's
   * @throws dev.backstream.cli.base.UserException if {@code bootstrap} does not answer
   */
  static BenchCluster open(String bootstrap, String name) {
    Path logs = BenchFiles.createTempDirectory("backstream-" + name + "-");
    EmbeddedKafkaBroker broker =
        bootstrap == null ? EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()) : null;
    BenchCluster cluster = new BenchCluster(broker,
        KafkaSettings.of(broker == null ? bootstrap : broker.bootstrapServers()), logs);
    try {
      // fails with one line, not a stack trace, if --bootstrap does not answer
      KafkaTopics.ensureRunTopics(cluster.kafka, Topics.forRun(name + "-probe"), TOPIC_TIMEOUT);
      WorkerProcessRun.deleteTopics(cluster.kafka, Topics.forRun(name + "-probe"));
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The clients' settings for the cluster. */
  KafkaSettings kafka() {
    return kafka;
  }

  /** Where the children write their logs. */
  Path logs() {
    return logs;
  }

  /** Where the broker is, for the report's first line. */
  String where() {
    return broker == null ? "at " + kafka.bootstrapServers() : "embedded in this process";
  }

  /** The benchmark ended well: its children's logs are not needed. */
  void succeeded() {
    succeeded = true;
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.close();
    }
    if (succeeded) {
      BenchFiles.deleteRecursively(logs);
    }
  }
}
