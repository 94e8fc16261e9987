package dev.backstream.worker;

import akka.actor.typed.ActorSystem;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.kafka.RunEndWatch;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.kafka.RunAccess;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerIds;
import dev.backstream.worker.internal.WorkerKafka;
import dev.backstream.worker.internal.WorkerNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker process: one actor system, the training set loaded once, K worker actors each
 * with its own network replica, and the Kafka bridge. Close it to leave the run cleanly (the
 * coordinator hands this process's unfinished shards to others at once). {@link #runFinished()}
 * tells when the coordinator has finished the run, so that the process can end with it.
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

  private final WorkerConfig config;
  private final WorkerKafka kafka;
  private final ActorSystem<WorkerNode.Command> system;
  private final RunEndWatch end;
  private boolean closed;

  private WorkerRuntime(WorkerConfig config, WorkerKafka kafka, ActorSystem<WorkerNode.Command> system,
      RunEndWatch end) {
    this.config = config;
    this.kafka = kafka;
    this.system = system;
    this.end = end;
  }

  /**
   * Joins the run.
   *
   * @param data the dataset (the same bytes as the coordinator's): steps of a spec that does not
   *     fit it are refused
   * @throws KafkaUnreachableException if the broker does not answer within {@code connectTimeout}
   * @throws dev.backstream.common.kafka.AccessRefusedException if the broker's ACLs do not let
   *     this client's user do what a worker does on the run's topics
   */
  public static WorkerRuntime start(WorkerConfig config, Dataset data, Duration connectTimeout) {
    Topics topics = Topics.forRun(config.run());
    // a worker may start before the coordinator: make sure the topics it reads exist
    KafkaTopics.ensureRunTopics(config.kafka(), topics, connectTimeout, RunAccess.worker(topics));
    WorkerKafka kafka = new WorkerKafka(config.kafka(), topics, config.workerId(), config.runKey(), connectTimeout);
    ActorSystem<WorkerNode.Command> system = ActorSystem.create(
        WorkerNode.create(config.run(), config.workerId(), config.actors(), data, kafka,
            config.heartbeatEvery()),
        "backstream-worker");
    kafka.start(system);
    RunEndWatch end = RunEndWatch.start(config.kafka(), topics);
    log.info("worker {} joined run '{}' with {} actor(s)", config.workerId(), config.run(), config.actors());
    return new WorkerRuntime(config, kafka, system, end);
  }

  /**
   * Completes with the run's last step once the coordinator has finished the run (evaluated its
   * last step and published that epoch); never completes for a run that is stopped or diverges.
   */
  public CompletableFuture<Long> runFinished() {
    return end.finished().thenApply(m -> m.step());
  }

  /** The ids the coordinator's shard plans use for this process's actors. */
  public List<String> actorIds() {
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < config.actors(); k++) {
      ids.add(WorkerIds.actor(config.workerId(), k));
    }
    return ids;
  }

  /** Says goodbye, stops the actors and closes the Kafka clients. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> left = new CompletableFuture<>();
    system.tell(new WorkerNode.Leave(left));
    try {
      left.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("no clean goodbye: {}", e.toString());
    }
    end.close();
    kafka.close();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("actor system did not stop cleanly: {}", e.toString());
    }
  }
}
