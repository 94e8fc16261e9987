package dev.backstream.worker.internal;

import akka.actor.typed.ActorRef;
import dev.backstream.common.kafka.KafkaBridge;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * A worker process's Kafka side: reads the steps topic, decodes off the actors and passes each
 * poll's steps on in one message; publishes the actors' gradients and the node's heartbeats through
 * one producer (Kafka's producer is thread-safe).
 */
public final class WorkerKafka implements WorkerOutput, AutoCloseable {
  private final Topics topics;
  private final RunKey key;
  private final KafkaBridge bridge;

  /**
   * Opens the clients, positioned at the end of the steps topic: a step published after this
   * returns is seen, so the first heartbeat must come after it.
   */
  public WorkerKafka(KafkaSettings kafka, Topics topics, String workerId, RunKey key,
      Duration timeout) {
    this.topics = topics;
    this.key = key;
    this.bridge = new KafkaBridge(kafka, "backstream-worker-" + workerId,
        List.of(new TopicPartition(topics.steps(), 0)), timeout);
  }

  /** Starts feeding {@code node} until {@link #close()}. */
  public void start(ActorRef<WorkerNode.Command> node) {
    bridge.start("backstream-worker-poller", records -> deliver(records, node));
  }

  private void deliver(ConsumerRecords<byte[], byte[]> records, ActorRef<WorkerNode.Command> node) {
    List<StepFrame> steps = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Decoded d = FrameCodec.decode(r.value(), key);
      if (d instanceof Decoded.Step s) {
        steps.add(s.frame());
      } else if (d instanceof Rejected bad) {
        node.tell(new WorkerNode.FrameRejected(bad.reason(), bad.detail()));
      } else {
        node.tell(new WorkerNode.FrameRejected(RejectReason.BAD_KIND,
            "a gradient or checkpoint frame on the steps topic"));
      }
    }
    if (!steps.isEmpty()) {
      // every step is checked; only the newest valid one is computed
      node.tell(new WorkerNode.StepsArrived(steps));
    }
  }

  @Override
  public void publishGradient(GradientFrame frame) {
    bridge.send(topics.gradients(), FrameCodec.encode(frame, key));
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
