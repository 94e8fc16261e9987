package dev.backstream.cli.cluster;

import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.console.EpochTable;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.training.ClusterStats;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream metrics}: a run's per-epoch metrics as a table, or every metrics line (run,
 * loss and epoch) as JSON: the JSON is what {@code train --metrics-out} writes and {@code report
 * --metrics} reads.
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = "Show a run's per-epoch metrics from its metrics topic.")
public final class MetricsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--follow", description = "Keep waiting for new epochs, like tail -f.")
  boolean follow;

  @Option(names = "--json", description = "Print every line of the topic as JSON: the run's "
      + "settings, each block of step losses and each epoch (the \"type\" field tells them apart; "
      + "what train --metrics-out writes and report --metrics reads).")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    KafkaSettings settings = kafka.settings();
    Topics topics = Topics.forRun(kafka.run());
    if (follow) {
      // created here so that following a run that has not started yet works
      KafkaTopics.ensureRunTopics(settings, topics, kafka.connectTimeout());
    } else if (!KafkaTopics.exists(settings, topics.metrics(), kafka.connectTimeout())) {
      // a read-only look must not leave five empty topics behind a typo
      throw UserException.usage("no run named '" + topics.run() + "' on "
          + settings.bootstrapServers());
    }
    try (MetricsTopic topic = new MetricsTopic(settings, topics, "backstream-metrics")) {
      Runtime.getRuntime().addShutdownHook(new Thread(topic::wakeup));
      if (!json) {
        out.println(EpochTable.header(true));
        out.flush();
      }
      topic.read(follow, new MetricsTopic.Handler() {
        @Override
        public void line(long offset, MetricsLine line) {
          print(out, line);
        }

        @Override
        public void malformed(long offset, String why) {
          out.println("# skipped a record that is not a metrics record: " + why);
          out.flush();
        }
      });
    } catch (WakeupException e) {
      // Ctrl-C while following
    }
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, MetricsLine line) {
    if (json) {
      out.println(line.toJson());
    } else if (line instanceof MetricsRecord m) {
      out.println(EpochTable.row(m.epoch(), m.step(), m.trainAccuracy(), m.testAccuracy(), m.loss(),
          m.stepsPerSecond(), m.wallSeconds(), new ClusterStats(m.liveWorkers(), m.shardsResent(),
              m.framesRejected(), m.rejectedByReason())));
    } else {
      return;
    }
    out.flush();
  }
}
