package dev.backstream.cli.cluster;

import dev.backstream.cli.ExitCodes;
import dev.backstream.cli.train.EpochTable;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.training.ClusterStats;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backstream metrics}: a run's per-epoch metrics, as a table or JSON lines. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = "Show a run's per-epoch metrics from its metrics topic.")
public final class MetricsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--follow", description = "Keep waiting for new epochs, like tail -f.")
  boolean follow;

  @Option(names = "--json", description = "Print each record as one JSON line.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    KafkaSettings settings = kafka.settings();
    Topics topics = Topics.forRun(kafka.run());
    KafkaTopics.ensureRunTopics(settings, topics, 1, Duration.ofSeconds(30));
    TopicPartition metrics = new TopicPartition(topics.metrics(), 0);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings.consumer("backstream-metrics", KafkaSettings.OffsetReset.EARLIEST))) {
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(consumer::wakeup));
      consumer.assign(List.of(metrics));
      consumer.seekToBeginning(List.of(metrics));
      long end = consumer.endOffsets(List.of(metrics)).get(metrics);
      if (!json) {
        out.println(EpochTable.header(true));
        out.flush();
      }
      while (follow || consumer.position(metrics) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          print(out, r.value());
        }
        if (main.isInterrupted()) {
          break;
        }
      }
    } catch (WakeupException e) {
      // Ctrl-C while following
    }
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, byte[] value) {
    String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
    try {
      MetricsRecord m = MetricsRecord.fromJson(text);
      if (json) {
        out.println(m.toJson());
      } else {
        out.println(EpochTable.row(m.epoch(), m.step(), m.trainAccuracy(), m.testAccuracy(), m.loss(),
            m.stepsPerSecond(), m.wallSeconds(), new ClusterStats(m.liveWorkers(), m.shardsResent(),
                m.framesRejected(), m.rejectedByReason())));
      }
    } catch (MalformedJsonException e) {
      out.println("# skipped a record that is not a metrics record: " + e.getMessage());
    }
    out.flush();
  }
}
