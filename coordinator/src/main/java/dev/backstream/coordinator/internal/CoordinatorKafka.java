package dev.backstream.coordinator.internal;

import akka.actor.typed.ActorRef;
import dev.backstream.common.kafka.KafkaBridge;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The coordinator's Kafka side: reads gradients and heartbeats, decodes them off the actor and
 * tells the actor what arrived; publishes steps and metrics.
 */
public final class CoordinatorKafka implements CoordinatorOutput, AutoCloseable {
  private final Topics topics;
  private final KafkaBridge bridge;

  /** Opens the clients, positioned at the end of gradients and heartbeats. */
  public CoordinatorKafka(KafkaSettings kafka, Topics topics, Duration timeout) {
    this.topics = topics;
    this.bridge = new KafkaBridge(kafka, "backstream-coordinator", List.of(
        new TopicPartition(topics.gradients(), 0), new TopicPartition(topics.members(), 0)),
        timeout);
  }

  /** Starts feeding {@code actor} until {@link #close()}. */
  public void start(ActorRef<StepCoordinator.Command> actor) {
    bridge.start("backstream-coordinator-poller", records -> {
      for (ConsumerRecord<byte[], byte[]> r : records) {
        actor.tell(r.topic().equals(topics.gradients()) ? gradient(r.value()) : heartbeat(r.value()));
      }
    });
  }

  private static StepCoordinator.Command gradient(byte[] value) {
    Decoded d = FrameCodec.decode(value);
    if (d instanceof Decoded.Gradient g) {
      return new StepCoordinator.GradientArrived(g.frame());
    }
    if (d instanceof Decoded.Rejected r) {
      return new StepCoordinator.FrameRejected(r.reason(), r.detail());
    }
    return new StepCoordinator.FrameRejected(RejectReason.BAD_KIND, "a step frame on the gradients topic");
  }

  private static StepCoordinator.Command heartbeat(byte[] value) {
    try {
      String json = value == null ? "" : new String(value, StandardCharsets.UTF_8);
      return new StepCoordinator.HeartbeatArrived(WorkerHeartbeat.fromJson(json));
    } catch (MalformedJsonException e) {
      return new StepCoordinator.FrameRejected(RejectReason.BAD_VALUE, e.getMessage());
    }
  }

  @Override
  public void publishStep(StepFrame frame) {
    bridge.send(topics.steps(), FrameCodec.encode(frame));
  }

  @Override
  public void publishMetrics(MetricsLine record) {
    bridge.send(topics.metrics(), record.toJson().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    bridge.close();
  }
}
