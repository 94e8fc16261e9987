package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Corrupt and foreign records on a run's topics are counted by reason and never applied. */
@ExtendWith(KafkaBroker.class)
class HostileRecordsTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 60, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  private static final int PARAMS = new NetShape(784, 50, 10).parameterCount();

  @Test
  void poisonIsCountedAndTheModelIsUnchanged(KafkaSettings kafka) throws InterruptedException {
    String expected = LocalRun.paramsSha256(SETTINGS);
    String run = "hostile";
    Topics topics = Topics.forRun(run);
    TrainingSummary summary;
    try (KafkaProducer<byte[], byte[]> rogue = new KafkaProducer<>(kafka.producer("rogue"));
        WorkerRuntime pool = WorkerRuntime.start(WorkerConfig.of(kafka, run, 2), SUBSET,
            Duration.ofSeconds(30))) {
      TrainingListener attack = new TrainingListener() {
        @Override
        public void onStep(long done, long total) {
          if (done == 10) {
            poison(rogue, topics);
          }
        }
      };
      summary = Coordinator.run(CoordinatorConfig.of(kafka, run, SETTINGS), SUBSET, attack);
    }
    assertThat(summary.paramsSha256()).isEqualTo(expected);
    Map<String, Long> rejected = summary.cluster().rejectedByReason();
    assertThat(rejected).containsEntry("BAD_MAGIC", 1L).containsEntry("TRUNCATED", 1L).containsEntry("WRONG_RUN", 1L)
        .containsEntry("STALE_GENERATION", 1L).containsEntry("NON_FINITE", 1L)
        .containsEntry("BAD_VALUE", 1L).containsEntry("BAD_CRC", 1L);
    assertThat(rejected.get("STALE_STEP")).isGreaterThanOrEqualTo(1L);
    assertThat(summary.cluster().framesRejected()).isGreaterThanOrEqualTo(8L);
  }

  /** One record of each kind, sent synchronously so that all arrive mid-run. */
  private static void poison(KafkaProducer<byte[], byte[]> rogue, Topics topics) {
    double[] zeros = new double[PARAMS];
    double[] nan = zeros.clone();
    nan[17] = Double.NaN;
    byte[] real = FrameCodec.encode(gradient("hostile", 1, 0, zeros));
    byte[] flipped = real.clone();
    flipped[100] ^= 1;
    send(rogue, topics.gradients(), "garbage".getBytes(StandardCharsets.UTF_8));
    send(rogue, topics.gradients(), Arrays.copyOf(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 12));
    send(rogue, topics.gradients(), flipped);
    send(rogue, topics.gradients(), FrameCodec.encode(gradient("another-run", 1, 10, zeros)));
    send(rogue, topics.gradients(), FrameCodec.encode(gradient("hostile", 0, 10, zeros)));
    send(rogue, topics.gradients(), FrameCodec.encode(gradient("hostile", 1, 0, zeros)));
    send(rogue, topics.gradients(), FrameCodec.encode(gradient("hostile", 1, 10, nan)));
    send(rogue, topics.members(), "{not json".getBytes(StandardCharsets.UTF_8));
  }

  private static GradientFrame gradient(String run, long generation, long step, double[] sum) {
    return new GradientFrame(run, generation, step, 0, 4, "rogue/0", 100, 1.0, 0, sum);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
