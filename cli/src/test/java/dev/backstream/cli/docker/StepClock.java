package dev.backstream.cli.docker;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads a run's steps topic from the host, as any client could, on a thread of its own: the step
 * the run is at, and the longest gap between two consecutive step records by their timestamps
 * (set by the coordinator when it publishes a step), which is the pause a fault cost the run.
 */
final class StepClock implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private long latestStep = -1;
  private long lastTimestamp = -1;
  private long longestGapMs;
  private long longestGapAfterStep = -1;
  private long faultStep = Long.MAX_VALUE;
  private long faultGapMs = -1;
  private volatile boolean stopped;

  StepClock(String bootstrap, String run) {
    KafkaSettings kafka = KafkaSettings.of(bootstrap);
    this.consumer = new KafkaConsumer<>(kafka.consumer("docker-e2e-clock", KafkaSettings.OffsetReset.EARLIEST));
    TopicPartition steps = new TopicPartition(Topics.forRun(run).steps(), 0);
    consumer.assign(List.of(steps));
    this.thread = new Thread(this::readSteps, "step-clock-" + run);
    thread.setDaemon(true);
    thread.start();
  }

  private void readSteps() {
    try {
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (FrameCodec.decode(r.value()) instanceof Decoded.Step s) {
            onStep(s.frame().step(), r.timestamp());
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private synchronized void onStep(long step, long timestamp) {
    if (lastTimestamp >= 0 && timestamp - lastTimestamp > longestGapMs) {
      longestGapMs = timestamp - lastTimestamp;
      longestGapAfterStep = latestStep;
    }
    if (lastTimestamp >= 0 && latestStep >= faultStep) {
      faultGapMs = Math.max(faultGapMs, timestamp - lastTimestamp);
    }
    lastTimestamp = timestamp;
    latestStep = step;
    notifyAll();
  }

  /** Waits until the run has published step {@code step} or a later one. */
  synchronized long awaitStep(long step, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (latestStep < step) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the run did not reach step " + step + " within "
            + timeout.toSeconds() + " s (at " + latestStep + ")");
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return latestStep;
  }

  /** The newest step read so far, or -1 before the first. */
  synchronized long latestStep() {
    return latestStep;
  }

  /** The longest time between two consecutive steps so far, in milliseconds. */
  synchronized long longestGapMs() {
    return longestGapMs;
  }

  /**
   * Notes that a fault is about to strike: from the newest step read now on, gaps count as the
   * fault's, apart from the run's start-up (whose first steps often hold the run's longest gap).
   */
  synchronized void markFault() {
    faultStep = latestStep;
  }

  /** The longest gap between two steps since {@link #markFault}, in milliseconds; -1 if none. */
  synchronized long faultGapMs() {
    return faultGapMs;
  }

  /** The step after which the longest gap came, or -1 before two steps. */
  synchronized long longestGapAfterStep() {
    return longestGapAfterStep;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    consumer.wakeup();
    thread.join(5_000);
  }
}
