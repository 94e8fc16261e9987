package dev.backstream.cli.cluster;

import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows a run's steps topic on a thread of its own and keeps when each step was first
 * published (the record's create time, the coordinator's clock), to measure the pause a fault
 * costs: the longest gap between two consecutive steps.
 */
final class StepTimes implements AutoCloseable {
  /** The longest gap: {@code millis} between step {@code beforeStep - 1} and {@code beforeStep}. */
  record Gap(long millis, long beforeStep) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition partition;
  private final Map<Long, Long> firstSeen = new TreeMap<>();
  private final Thread thread;

  StepTimes(KafkaSettings kafka, String run) {
    Properties props = kafka.consumer("test-step-times", KafkaSettings.OffsetReset.EARLIEST);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    consumer = new KafkaConsumer<>(props);
    partition = new TopicPartition(Topics.forRun(run).steps(), 0);
    thread = new Thread(this::follow, "test-step-times");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (consumer.partitionsFor(partition.topic(), Duration.ofSeconds(30)).isEmpty()) {
        Thread.sleep(200);
      }
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (FrameCodec.decode(r.value()) instanceof Decoded.Step s) {
            synchronized (firstSeen) {
              firstSeen.putIfAbsent(s.frame().step(), r.timestamp());
            }
          }
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closed
    }
  }

  /** The newest step seen so far, 0 if none. */
  long latest() {
    synchronized (firstSeen) {
      return firstSeen.isEmpty() ? 0 : ((TreeMap<Long, Long>) firstSeen).lastKey();
    }
  }

  /** How many steps were seen. */
  int count() {
    synchronized (firstSeen) {
      return firstSeen.size();
    }
  }

  /** The longest gap between consecutive steps seen. */
  Gap longestGap() {
    List<long[]> gaps = gaps();
    long[] max = {0, 0};
    for (long[] g : gaps) {
      if (g[0] > max[0]) {
        max = g;
      }
    }
    return new Gap(max[0], max[1]);
  }

  /** The median gap between consecutive steps seen. */
  long medianGapMillis() {
    List<Long> millis = new ArrayList<>();
    for (long[] g : gaps()) {
      millis.add(g[0]);
    }
    millis.sort(null);
    return millis.isEmpty() ? 0 : millis.get(millis.size() / 2);
  }

  private List<long[]> gaps() {
    List<long[]> gaps = new ArrayList<>();
    synchronized (firstSeen) {
      Long previous = null;
      Long previousTime = null;
      for (Map.Entry<Long, Long> e : firstSeen.entrySet()) {
        if (previous != null && e.getKey() == previous + 1) {
          gaps.add(new long[] {e.getValue() - previousTime, e.getKey()});
        }
        previous = e.getKey();
        previousTime = e.getValue();
      }
    }
    return gaps;
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(5_000);
    consumer.close(Duration.ofSeconds(1));
  }
}
