package dev.backstream.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.training.ReducerSubtrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --reducers R}: the reducer tier in the one command ends on the bits of {@code
 * train --local} and of a run without reducers, over the embedded broker (open and secured) and
 * over your own Kafka, where the reducers' sums are seen reaching the coordinator; and the option
 * is refused, in one line, where it cannot mean anything.
 */
@ExtendWith(KafkaBroker.class)
class TrainCommandTest {
  /** Ten epochs of the 2,000-image subset; train's defaults otherwise (4 shards). */
  private static final int STEPS = 200;
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, STEPS, 100, 0.1, 50, Activation.RELU, 7, 4, 0.01);
  private static String localSha;

  @TempDir Path dir;

  private final Cli cli = new Cli();

  @BeforeAll
  static void trainLocally() throws InterruptedException {
    localSha = LocalRun.paramsSha256(SETTINGS);
  }

  /**
   * {@code train} on the subset with {@code SETTINGS} and {@code mode}; returns its --summary.
   * Four workers with two reducers: each worker process holds one leaf of a subtree, so every
   * leaf goes through a reducer (two workers would each hold a whole subtree and skip them).
   */
  private JsonNode train(String name, String... mode) throws IOException {
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    Path summary = dir.resolve(name + ".json");
    List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(),
        "--steps", String.valueOf(STEPS), "--seed", "7", "--summary", summary.toString(),
        "--run", name));
    args.addAll(List.of(mode));
    cli.clear();
    assertThat(cli.run(args.toArray(String[]::new))).as(cli.err()).isZero();
    return new ObjectMapper().readTree(summary.toFile());
  }

  @Test
  void reducersInTheOneCommandEndOnTheLocalBits() throws IOException {
    JsonNode summary = train("one-command", "--workers", "4", "--reducers", "2");

    assertThat(summary.get("paramsSha256").asText()).isEqualTo(localSha);
    assertThat(cli.out()).contains(" with 4 worker(s) and 2 reducer(s) over Kafka at ");
    // the reducers heartbeat on the members topic, but only worker actors count as workers
    assertThat(summary.get("liveWorkers").asInt()).isEqualTo(4);
  }

  @Test
  void reducersOnASecuredBrokerLogInAsTheReducerRole() throws IOException {
    JsonNode summary = train("secured", "--secure", "--workers", "4", "--reducers", "2");

    assertThat(summary.get("paramsSha256").asText()).isEqualTo(localSha);
    assertThat(cli.out()).contains(" with 4 worker(s) and 2 reducer(s) over Kafka at ")
        .contains("(SASL_PLAINTEXT with SCRAM-SHA-512, ACLs per role)");
  }

  @Test
  void theReducersSumsReachTheCoordinatorAndChangeNoBit(KafkaSettings kafka) throws IOException {
    String bootstrap = kafka.bootstrapServers();
    JsonNode without = train("without-reducers", "--bootstrap", bootstrap, "--workers", "4");
    JsonNode with = train("with-reducers", "--bootstrap", bootstrap, "--workers", "4",
        "--reducers", "2");

    assertThat(without.get("paramsSha256").asText()).isEqualTo(localSha);
    assertThat(with.get("paramsSha256").asText()).isEqualTo(localSha);
    assertThat(with.get("loss").asDouble()).isEqualTo(without.get("loss").asDouble());
    Topics topics = Topics.forRun("with-reducers");
    assertThat(KafkaTopics.partitions(kafka, topics.gradients(), Duration.ofSeconds(30)))
        .as("the coordinator's partition and one per subtree").isEqualTo(3);
    assertThat(sumSenders(kafka, topics)).as("reducers whose sums the coordinator was sent")
        .containsExactly("reducer-0", "reducer-1");
    assertThat(sumSenders(kafka, Topics.forRun("without-reducers"))).isEmpty();
    // without --reducers the run's gradients topic keeps its one partition
    assertThat(KafkaTopics.partitions(kafka, Topics.forRun("without-reducers").gradients(),
        Duration.ofSeconds(30))).isEqualTo(1);
  }

  /**
   * The subtrees ("reducer-r") whose reducer sent a sum to the coordinator's partition of the
   * gradients topic, read from its start to its end.
   */
  private static Set<String> sumSenders(KafkaSettings kafka, Topics topics) {
    TopicPartition coordinators =
        new TopicPartition(topics.gradients(), ReducerSubtrees.COORDINATOR_PARTITION);
    Set<String> senders = new TreeSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        kafka.consumer("test-sums", KafkaSettings.OffsetReset.EARLIEST))) {
      consumer.assign(List.of(coordinators));
      consumer.seekToBeginning(List.of(coordinators));
      long end = consumer.endOffsets(List.of(coordinators)).get(coordinators);
      while (consumer.position(coordinators) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (FrameCodec.decode(r.value()) instanceof Decoded.Gradient g
              && g.frame().sender().startsWith("reducer-")) {
            // reducer-<subtree>-<host>-<pid>-<suffix>
            String sender = g.frame().sender();
            senders.add(sender.substring(0, sender.indexOf('-', "reducer-".length())));
          }
        }
      }
    }
    return senders;
  }

  @Test
  void reducersWithLocalAreRefusedInOneLine() {
    assertThat(cli.run("train", "--local", "--reducers", "2")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).containsExactly("backstream: --reducers runs reducers over "
        + "Kafka beside the workers; --local trains in this process without Kafka: drop one of "
        + "them");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void reducersOutsideTheShardsAreRefusedInOneLineBeforeAnyBroker() {
    assertThat(cli.run("train", "--reducers", "5")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).containsExactly(
        "backstream: Invalid value 5 for --reducers: must be in [0, 4] (the shard count)");
    cli.clear();
    assertThat(cli.run("train", "--reducers", "-1")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).containsExactly(
        "backstream: Invalid value -1 for --reducers: must be in [0, 4] (the shard count)");
    cli.clear();
    // the range follows --shards, as the coordinator's does
    assertThat(cli.run("train", "--shards", "8", "--reducers", "9")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).containsExactly(
        "backstream: Invalid value 9 for --reducers: must be in [0, 8] (the shard count)");
    assertThat(cli.out()).as("no broker started, no training line").isEmpty();
  }
}
