package dev.backstream.cli.chaos;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a run's steps and gradients as any client of the broker could, without a run key: what
 * step the run is at, and real records to copy, for the scenarios and the poison they send.
 */
final class RunWatcher implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String run;
  private final TopicPartition steps;
  private StepFrame latestStep;
  private byte[] latestStepBytes;
  private GradientFrame latestGradient;
  private byte[] latestGradientBytes;

  RunWatcher(KafkaSettings kafka, String run) {
    this.run = run;
    Topics topics = Topics.forRun(run);
    dev.backstream.common.kafka.KafkaTopics.ensureRunTopics(kafka, topics, Duration.ofSeconds(30));
    this.steps = new TopicPartition(topics.steps(), 0);
    this.consumer = new KafkaConsumer<>(kafka.consumer("chaos-watcher", KafkaSettings.OffsetReset.EARLIEST));
    consumer.assign(List.of(steps, new TopicPartition(topics.gradients(), 0)));
  }

  /** Reads what has arrived, up to {@code wait}. */
  void poll(Duration wait) {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
      Decoded d = FrameCodec.decode(r.value());
      if (d instanceof Decoded.Step s && r.topic().equals(steps.topic()) && isGenuine(s.frame())) {
        latestStep = s.frame();
        latestStepBytes = r.value();
      } else if (d instanceof Decoded.Gradient g && isGenuine(g.frame())) {
        latestGradient = g.frame();
        latestGradientBytes = r.value();
      }
    }
  }

  /**
   * A step of the run's coordinator: shaped like the first, not older than the newest, and of its
   * generation or the next (a forged takeover jumps further).
   */
  private boolean isGenuine(StepFrame f) {
    if (latestStep == null) {
      return f.run().equals(run);
    }
    return f.run().equals(run) && f.paramsView().remaining() == latestStep.paramsView().remaining()
        && (f.generation() == latestStep.generation() + 1
            || (f.generation() == latestStep.generation() && f.step() >= latestStep.step()
                && f.step() <= latestStep.step() + 1_000));
  }

  /** A worker's gradient of the newest step, not a record the suite sent itself. */
  private boolean isGenuine(GradientFrame g) {
    return latestStep != null && g.run().equals(latestStep.run())
        && g.gradientSumView().remaining() == latestStep.paramsView().remaining()
        && !g.sender().equals(PoisonRecords.SENDER) && !g.sender().equals(PoisonRecords.ROGUE);
  }

  /** Waits until the run has published step {@code step} or a later one, and returns it. */
  StepFrame awaitStep(long step, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (latestStep == null || latestStep.step() < step) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the run did not reach step " + step + " within "
            + timeout.toSeconds() + " s (at " + (latestStep == null ? "none" : latestStep.step()) + ")");
      }
      poll(Duration.ofMillis(100));
    }
    return latestStep;
  }

  StepFrame latestStep() {
    return latestStep;
  }

  byte[] latestStepBytes() {
    return latestStepBytes.clone();
  }

  GradientFrame latestGradient() {
    return latestGradient;
  }

  byte[] latestGradientBytes() {
    return latestGradientBytes == null ? null : latestGradientBytes.clone();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(1));
  }
}
