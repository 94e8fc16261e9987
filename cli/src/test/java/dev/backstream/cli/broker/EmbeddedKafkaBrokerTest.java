package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The book network's parameter count: a step frame of about 318 KB. */
  private static final int BOOK_PARAMS = 784 * 50 + 50 + 50 * 10 + 10;

  @TempDir
  Path kept;

  @Test
  void carriesAFullSizeStepFrameAndCleansUp() throws Exception {
    Topics topics = Topics.forRun("broker-test");
    StepFrame frame = bookSizedFrame(topics.run());
    Path dir;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
      dir = broker.dataDirectory();
      KafkaSettings settings = KafkaSettings.of(broker.bootstrapServers());
      try (Admin admin = Admin.create(settings.admin("test-admin"))) {
        assertThat(KafkaTopics.ensureTopics(admin, topics, TIMEOUT))
            .containsExactlyElementsOf(topics.all());
        assertThat(KafkaTopics.ensureTopics(admin, topics, TIMEOUT)).isEmpty();
        assertThat(configOf(admin, topics.steps()).get("max.message.bytes").value())
            .isEqualTo("8388608");
        assertThat(configOf(admin, topics.checkpoints()).get("cleanup.policy").value())
            .isEqualTo("compact");
        // one live broker: one replica, and a min ISR that one replica satisfies
        assertThat(admin.describeTopics(topics.all()).allTopicNames().get().values())
            .allSatisfy(d -> assertThat(d.partitions().get(0).replicas()).hasSize(1));
        assertThat(configOf(admin, topics.metrics()).get("min.insync.replicas").value())
            .isEqualTo("1");
        for (String kept : List.of(topics.metrics(), topics.checkpoints())) {
          assertThat(configOf(admin, kept).get("retention.ms").value()).as(kept).isEqualTo("-1");
          assertThat(configOf(admin, kept).get("retention.bytes").value()).as(kept).isEqualTo("-1");
        }
      }

      send(settings, topics.steps(), FrameCodec.encode(frame));
      byte[] received = receiveOne(settings, topics.steps());

      assertThat(received).hasSizeGreaterThan(318_000);
      assertThat(FrameCodec.decode(received)).isEqualTo(new Decoded.Step(frame));
      assertThat(dir).isDirectory();
    }

    assertThat(dir).doesNotExist();
  }

  @Test
  void anExistingMetricsTopicWithoutRetentionIsGivenIt() throws Exception {
    Topics topics = Topics.forRun("old-metrics");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
        Admin admin = Admin.create(KafkaSettings.of(broker.bootstrapServers()).admin("test-admin"))) {
      // as an older version made it: the broker's 10-minute retention
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topics.metrics(), 1,
          (short) 1))).all().get();
      assertThat(configOf(admin, topics.metrics()).get("retention.ms").value()).isEqualTo("600000");

      assertThat(KafkaTopics.ensureTopics(admin, topics, TIMEOUT)).doesNotContain(topics.metrics());

      // the broker applies an altered config once its metadata log has it: ask until it shows
      Config config = configOf(admin, topics.metrics());
      for (int i = 0; i < 100 && !"-1".equals(config.get("retention.ms").value()); i++) {
        Thread.sleep(100);
        config = configOf(admin, topics.metrics());
      }
      assertThat(config.get("retention.ms").value()).isEqualTo("-1");
      assertThat(config.get("retention.bytes").value()).isEqualTo("-1");
    }
  }

  @Test
  void keptDirectoryOutlivesTheBrokerAndIsReused() throws Exception {
    Path dir = kept.resolve("kafka");
    Topics topics = Topics.forRun("kept");
    byte[] payload = FrameCodec.encode(bookSizedFrame(topics.run()));
    EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults().withDataDirectory(dir);

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
      KafkaSettings settings = KafkaSettings.of(broker.bootstrapServers());
      try (Admin admin = Admin.create(settings.admin("test-admin"))) {
        KafkaTopics.ensureTopics(admin, topics, TIMEOUT);
      }
      // a second broker of this JVM on the same folder refuses before touching it
      assertThatThrownBy(() -> EmbeddedKafkaBroker.start(options))
          .isInstanceOf(KafkaException.class)
          .hasMessageEndingWith(dir + " is in use by a broker, pid " + ProcessHandle.current().pid());
      send(settings, topics.steps(), payload);
    }
    assertThat(dir.resolve("server.properties")).isRegularFile();

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
      assertThat(receiveOne(KafkaSettings.of(broker.bootstrapServers()), topics.steps()))
          .isEqualTo(payload);
    }
    assertThat(dir).isDirectory();
  }

  @Test
  void closeIsIdempotent() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());

    broker.close();
    broker.close();

    assertThat(Files.exists(broker.dataDirectory())).isFalse();
  }

  @Test
  void optionsRejectImpossiblePorts() {
    assertThatThrownBy(() -> new EmbeddedKafkaBroker.Options(70_000, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 70000 for port: must be in [0, 65535] (0 picks a free port)");
    assertThatThrownBy(() -> new EmbeddedKafkaBroker.Options(9092, 9092, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("controllerPort");
  }

  private static StepFrame bookSizedFrame(String run) {
    Random random = new Random(345);
    double[] params = random.doubles(BOOK_PARAMS, -0.05, 0.05).toArray();
    int[] batch = random.ints(100, 0, 60_000).toArray();
    return new StepFrame(run, 1, 42, new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 1, Activation.RELU, 0, 4, 0.01), params, batch, new String[] {"w1", "w2", "w1", "w2"});
  }

  /**
   * The topic's config; asked again while the broker does not know the topic yet (a topic just
   * created reaches the broker's metadata a moment after createTopics returns).
   */
  private static Config configOf(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    for (int attempt = 1; ; attempt++) {
      try {
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 100) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static void send(KafkaSettings settings, String topic, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings.producer("test-p"))) {
      producer.send(new ProducerRecord<>(topic, value)).get();
    }
  }

  private static byte[] receiveOne(KafkaSettings settings, String topic) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        settings.consumer("test-c", KafkaSettings.OffsetReset.EARLIEST))) {
      consumer.assign(Set.of(partition));
      consumer.seekToBeginning(Set.of(partition));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          return record.value();
        }
      }
    }
    throw new AssertionError("no record on " + topic + " within " + TIMEOUT);
  }

}
