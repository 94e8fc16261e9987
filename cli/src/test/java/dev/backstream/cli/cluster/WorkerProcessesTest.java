package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Worker processes join mid-run, leave with SIGTERM and die with kill -9, while the coordinator
 * keeps stepping; the model ends on the local trainer's bits.
 */
@ExtendWith(KafkaBroker.class)
class WorkerProcessesTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  /** Long enough that three JVM start-ups happen while it runs. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 1500, 100, 0.1, 50, Activation.RELU, 11, 4, 0.01);
  private static final Duration JOIN_WAIT = Duration.ofSeconds(60);
  /**
   * Each step waits this long until the last worker is killed: the run must outlast three JVM
   * start-ups on a loaded machine, and unpaced it can end before the third worker's first step.
   */
  private static final long PACE_MILLIS = 100;

  /** In float64 and float32: both promise the same bits whatever happens to the workers. */
  @ParameterizedTest
  @EnumSource(Dtype.class)
  void workersComeAndGoWithoutChangingTheModel(Dtype dtype, KafkaSettings kafka) throws Exception {
    RunSpec settings = SETTINGS.withDtype(dtype);
    // kept under target/ so that a failure leaves the workers' logs to read
    Path tmp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "worker-processes")), "run");
    String expected = LocalRun.paramsSha256(settings);
    Path data = SubsetOnDisk.write(Files.createDirectories(tmp.resolve("data")));
    String run = "processes-" + dtype.id();
    Topics topics = Topics.forRun(run);
    List<ChildJvm> started = new ArrayList<>();
    PacedSteps paced = new PacedSteps(PACE_MILLIS);
    try (GradientSenders senders = new GradientSenders(kafka, topics)) {
      ChildJvm first = worker(kafka, run, data, tmp, "w1", started);
      CompletableFuture<TrainingSummary> result = CompletableFuture.supplyAsync(() -> {
        try {
          return Coordinator.run(CoordinatorConfig.of(kafka, run, settings), SUBSET, paced);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      senders.awaitSender(first.pid(), JOIN_WAIT);

      ChildJvm second = worker(kafka, run, data, tmp, "w2", started);
      long stepWhenSecondSent = senders.awaitSender(second.pid(), JOIN_WAIT);
      second.terminate();
      assertThat(saidGoodbye(kafka, topics, second.pid())).as("a SIGTERM'd worker says goodbye").isTrue();

      ChildJvm third = worker(kafka, run, data, tmp, "w3", started);
      senders.awaitSender(third.pid(), JOIN_WAIT);
      long stepAtKill = paced.step();
      first.kill();
      paced.release();

      TrainingSummary summary = result.get(2, TimeUnit.MINUTES);
      assertThat(summary.paramsSha256()).isEqualTo(expected);
      assertThat(stepAtKill).as("the kill happened mid-run").isLessThan(SETTINGS.steps());
      assertThat(stepWhenSecondSent).isPositive();
      // the killed worker held shards of the step it died in, or of the next: they were re-sent
      assertThat(summary.cluster().shardsResent()).isPositive();
    } finally {
      for (ChildJvm p : started) {
        p.close();
      }
    }
  }

  private static boolean saidGoodbye(KafkaSettings kafka, Topics topics, long pid) {
    TopicPartition members = new TopicPartition(topics.members(), 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumer("test-members", KafkaSettings.OffsetReset.EARLIEST))) {
      consumer.assign(List.of(members));
      consumer.seekToBeginning(List.of(members));
      long end = consumer.endOffsets(List.of(members)).get(members);
      while (consumer.position(members) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          WorkerHeartbeat hb = WorkerHeartbeat.fromJson(new String(r.value(), StandardCharsets.UTF_8));
          if (hb.pid() == pid && hb.leaving()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static ChildJvm worker(KafkaSettings kafka, String run, Path data, Path tmp,
      String name, List<ChildJvm> started) throws Exception {
    ChildJvm p = ChildJvm.start(name, tmp.resolve(name + ".log"), List.of("worker",
        "--bootstrap", kafka.bootstrapServers(), "--run", run, "--data", data.toString()));
    started.add(p);
    return p;
  }

  /** Watches the gradients topic for the first record from a given worker process. */
  private static final class GradientSenders implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<long[]> seen = new ArrayList<>();

    GradientSenders(KafkaSettings kafka, Topics topics) {
      consumer = new KafkaConsumer<>(kafka.consumer("test-senders", KafkaSettings.OffsetReset.EARLIEST));
      TopicPartition gradients = new TopicPartition(topics.gradients(), 0);
      dev.backstream.common.kafka.KafkaTopics.ensureRunTopics(kafka, topics, Duration.ofSeconds(30));
      consumer.assign(List.of(gradients));
      consumer.seekToBeginning(List.of(gradients));
    }

    /** Waits until process {@code pid} has published a gradient; returns that gradient's step. */
    long awaitSender(long pid, Duration timeout) {
      String mark = "-" + pid + "-";
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (FrameCodec.decode(r.value()) instanceof Decoded.Gradient g) {
            String sender = g.frame().sender();
            int at = sender.indexOf('-');
            seen.add(new long[] {Long.parseLong(sender.substring(at + 1, sender.indexOf('-', at + 1))), g.frame().step()});
          }
        }
        for (long[] s : seen) {
          if (s[0] == pid) {
            return s[1];
          }
        }
      }
      throw new AssertionError("worker process " + pid + " sent no gradient within " + timeout);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
