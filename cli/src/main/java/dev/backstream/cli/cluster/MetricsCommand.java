package dev.backstream.cli.cluster;

import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.console.EpochTable;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunEnd;
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
 * --metrics} reads. It only reads: a run that does not exist is an error, or with {@code
 * --follow} a wait, never a topic created. A follower exits 0 after the run's last epoch.
 */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = "Show a run's per-epoch metrics from its metrics topic.")
public final class MetricsCommand implements Callable<Integer> {
  /** How often a follower asks whether the run it waits for has started. */
  private static final long WAIT_POLL_MILLIS = 1_000;

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--follow", description = "Keep waiting for new epochs, like tail -f, until "
      + "the run's last epoch; waits for a run that has not started yet.")
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
    // a read-only look creates nothing: no five empty topics behind a typo
    if (!KafkaTopics.exists(settings, topics.metrics(), kafka.connectTimeout())) {
      if (!follow) {
        throw UserException.usage("no run named '" + topics.run() + "' on "
            + settings.bootstrapServers());
      }
      out.println("waiting for run '" + topics.run() + "' on " + settings.bootstrapServers());
      out.flush();
      try {
        awaitTopic(settings, topics.metrics());
      } catch (InterruptedException e) {
        return ExitCodes.OK; // Ctrl-C while waiting
      }
    }
    RunEnd end = new RunEnd();
    try (MetricsTopic topic = new MetricsTopic(settings, topics, "backstream-metrics",
        kafka.connectTimeout())) {
      Runtime.getRuntime().addShutdownHook(new Thread(topic::wakeup));
      if (!json) {
        out.println(EpochTable.header(true));
        out.flush();
      }
      topic.read(follow, new MetricsTopic.Handler() {
        @Override
        public void line(long offset, MetricsLine line) {
          print(out, line);
          end.accept(line);
        }

        @Override
        public boolean done() {
          // only a follower stops at the end: a plain look prints the whole topic
          return follow && end.finished().isPresent();
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
    if (follow && !json && end.finished().isPresent()) {
      out.println("# run '" + topics.run() + "' finished at step " + end.finished().get().step());
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Polls until the topic exists: the run's coordinator or a worker creates it. */
  private void awaitTopic(KafkaSettings settings, String topic) throws InterruptedException {
    while (!KafkaTopics.exists(settings, topic, kafka.connectTimeout())) {
      Thread.sleep(WAIT_POLL_MILLIS);
    }
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
