package dev.backstream.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In a run with a key, heartbeats and goodbyes from a process without it are counted as
 * {@code BAD_TAG} and change neither the roster nor the model.
 */
@ExtendWith(KafkaBroker.class)
class ForgedHeartbeatsTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final int STEPS = 120;
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, STEPS, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  private static final RunKey KEY =
      RunKey.of("forged-heartbeats-key-0123456789".getBytes(StandardCharsets.UTF_8));
  private static final RunKey OTHER =
      RunKey.of("not-the-run-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final String REAL = "real-worker";

  @Test
  void forgedHeartbeatsAreCountedAndChangeNothing(KafkaSettings kafka) throws InterruptedException {
    String expected = LocalRun.paramsSha256(SETTINGS);
    String run = "forged-hb";
    Topics topics = Topics.forRun(run);
    TrainingSummary summary;
    WorkerConfig worker =
        new WorkerConfig(kafka, run, REAL, 2, Duration.ofMillis(500), RunKey.NONE).withRunKey(KEY);
    try (KafkaProducer<byte[], byte[]> rogue = new KafkaProducer<>(kafka.producer("rogue"));
        WorkerRuntime pool = WorkerRuntime.start(worker, SUBSET, Duration.ofSeconds(30))) {
      TrainingListener attack = new TrainingListener() {
        @Override
        public void onStep(long done, long total) {
          // early, and late enough that an accepted impostor would still be live at the end
          if (done == 10 || done == STEPS - 5) {
            forge(rogue, topics, run);
          }
        }
      };
      summary = Coordinator.run(
          CoordinatorConfig.of(kafka, run, SETTINGS).withRunKey(KEY), SUBSET, attack);
    }
    assertThat(summary.paramsSha256()).isEqualTo(expected);
    // 3 forgeries per round, 2 rounds
    assertThat(summary.cluster().rejectedByReason()).containsEntry("BAD_TAG", 6L);
    // the impostor's 5 actors never joined, and the real worker's 2 were never said goodbye for
    assertThat(summary.cluster().liveWorkers()).isEqualTo(2);
  }

  /** An unsigned impostor, an impostor signed with another key, and an unsigned goodbye. */
  private static void forge(KafkaProducer<byte[], byte[]> rogue, Topics topics, String run) {
    long now = System.currentTimeMillis();
    WorkerHeartbeat impostor = new WorkerHeartbeat(run, "impostor", "rogue", 1, 5, now, false, Map.of());
    WorkerHeartbeat goodbye = new WorkerHeartbeat(run, REAL, "rogue", 1, 2, now, true, Map.of());
    send(rogue, topics.members(), impostor.encode(RunKey.NONE));
    send(rogue, topics.members(), impostor.encode(OTHER));
    send(rogue, topics.members(), goodbye.encode(RunKey.NONE));
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
