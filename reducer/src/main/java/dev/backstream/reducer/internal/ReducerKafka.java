package dev.backstream.reducer.internal;

import dev.backstream.common.kafka.KafkaBridge;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.ReducerSubtrees;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A reducer's Kafka side: reads the steps topic and its subtree's partition of the gradients
 * topic from their ends on one thread, decodes and hands each poll to the {@link SubtreeReducer}
 * (steps first: a poll can hold a step and its first gradients); publishes sums to the
 * coordinator's partition and heartbeats to the members topic through one producer.
 */
public final class ReducerKafka implements ReducerOutput, AutoCloseable {
  private final Topics topics;
  private final RunKey key;
  private final KafkaBridge bridge;

  /**
   * Opens the clients, positioned at the end of both partitions.
   *
   * @param subtree r: the reducer reads partition r + 1 of the gradients topic
   */
  public ReducerKafka(KafkaSettings kafka, Topics topics, int subtree, String reducerId,
      RunKey key, Duration timeout) {
    this.topics = topics;
    this.key = key;
    this.bridge = new KafkaBridge(kafka, "backstream-reducer-" + reducerId, List.of(
        new TopicPartition(topics.steps(), 0),
        new TopicPartition(topics.gradients(), ReducerSubtrees.partitionOfSubtree(subtree))),
        timeout);
  }

  /**
   * Starts feeding {@code reducer} until {@link #close()}; every call into it holds the reducer's
   * lock, which its heartbeats take too.
   */
  public void start(SubtreeReducer reducer) {
    bridge.start("backstream-reducer-poller", records -> deliver(records, reducer));
  }

  private void deliver(ConsumerRecords<byte[], byte[]> records, SubtreeReducer reducer) {
    List<Decoded> steps = new ArrayList<>();
    List<Decoded> gradients = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      (r.topic().equals(topics.steps()) ? steps : gradients).add(FrameCodec.decode(r.value(), key));
    }
    synchronized (reducer) {
      steps.forEach(d -> take(d, reducer));
      gradients.forEach(d -> take(d, reducer));
    }
  }

  private static void take(Decoded d, SubtreeReducer reducer) {
    if (d instanceof Decoded.Step s) {
      reducer.onStep(s.frame());
    } else if (d instanceof Decoded.Gradient g) {
      reducer.onGradient(g.frame());
    } else if (d instanceof Rejected bad) {
      reducer.onRejected(bad.reason(), bad.detail());
    } else {
      reducer.onRejected(RejectReason.BAD_KIND, "a checkpoint frame on the steps or gradients topic");
    }
  }

  @Override
  public void publishSum(GradientFrame frame) {
    bridge.send(topics.gradients(), ReducerSubtrees.COORDINATOR_PARTITION,
        FrameCodec.encode(frame, key));
  }

  @Override
  public void publishHeartbeat(WorkerHeartbeat heartbeat) {
    bridge.send(topics.members(), heartbeat.encode(key));
  }

  /** Sends everything queued, then closes. */
  @Override
  public void close() {
    bridge.close();
  }
}
