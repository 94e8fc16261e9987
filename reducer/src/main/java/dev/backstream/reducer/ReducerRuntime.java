package dev.backstream.reducer;

import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.kafka.RunAccess;
import dev.backstream.common.kafka.KafkaUnreachableException;
import dev.backstream.common.kafka.RunEndWatch;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.protocol.WorkerIds;
import dev.backstream.reducer.internal.ReducerKafka;
import dev.backstream.reducer.internal.SubtreeReducer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running reducer: reads the gradient frames of one subtree of the run's reduction tree (its
 * partition of the gradients topic), adds them up in the tree's order once they cover it, and
 * publishes the sum as one frame to the coordinator's partition; says every half second that it
 * is alive, so that the coordinator leaves the subtree's partition to it. Close it to leave
 * cleanly (the coordinator reads the partition again at once); killed, it costs the coordinator a
 * member timeout and a step deadline, never a bit of the result.
 */
public final class ReducerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReducerRuntime.class);

  private final ReducerConfig config;
  private final ReducerKafka kafka;
  private final SubtreeReducer reducer;
  private final Rejections rejections;
  private final ScheduledExecutorService heartbeats;
  private final RunEndWatch end;
  private boolean closed;

  private ReducerRuntime(ReducerConfig config, ReducerKafka kafka, SubtreeReducer reducer,
      Rejections rejections, RunEndWatch end) {
    this.config = config;
    this.kafka = kafka;
    this.reducer = reducer;
    this.rejections = rejections;
    this.end = end;
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "backstream-reducer-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Joins the run as the reducer of subtree {@code config.subtree()}, waiting up to
   * {@code connectTimeout} for a run without subtrees yet to get them.
   *
   * @throws IllegalArgumentException if the run has no such subtree (its coordinator's
   *     {@code --reducers} sets them); the message is one line for the user
   * @throws KafkaUnreachableException if the broker does not answer within {@code connectTimeout}
   * @throws dev.backstream.common.kafka.AccessRefusedException if the broker's ACLs refuse an
   *     operation a reducer needs (its user is not of the reducer role)
   */
  public static ReducerRuntime start(ReducerConfig config, Duration connectTimeout) {
    Topics topics = Topics.forRun(config.run());
    int reducers = subtreesOf(config, topics, connectTimeout);
    if (config.subtree() >= reducers) {
      throw new IllegalArgumentException("Invalid value " + config.subtree() + " for --subtree: run '"
          + config.run() + "' has " + (reducers == 0 ? "no reducer subtrees"
              : reducers + " reducer subtrees (0 to " + (reducers - 1) + ")")
          + "; its coordinator's --reducers sets them");
    }
    KafkaTopics.requireAccess(config.kafka(), RunAccess.reducer(topics), connectTimeout);
    Rejections rejections = new Rejections(log, "record", System::nanoTime);
    ReducerKafka kafka = new ReducerKafka(config.kafka(), topics, config.subtree(),
        config.reducerId(), config.runKey(), connectTimeout);
    SubtreeReducer reducer = new SubtreeReducer(config.run(), config.subtree(), reducers,
        config.reducerId(), kafka, rejections);
    RunEndWatch end;
    try {
      end = RunEndWatch.start(config.kafka(), topics);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    ReducerRuntime runtime = new ReducerRuntime(config, kafka, reducer, rejections, end);
    // first heard, then fed: the coordinator leaves the partition only to a reducer it knows
    runtime.heartbeat(false);
    kafka.start(reducer);
    runtime.heartbeats.scheduleWithFixedDelay(() -> runtime.heartbeat(false),
        config.heartbeatEvery().toMillis(), config.heartbeatEvery().toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("reducer {} of subtree {} of {} joined run '{}'", config.reducerId(),
        config.subtree(), reducers, config.run());
    return runtime;
  }

  /**
   * The run's R. While it is 0 (no topics yet, or a coordinator that is still giving them their
   * subtrees, which its broker's metadata can show a moment late) it is asked again every half
   * second, up to {@code timeout}: a reducer may start before its coordinator. Once set, R never
   * changes.
   */
  private static int subtreesOf(ReducerConfig config, Topics topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean told = false;
    while (true) {
      int reducers = KafkaTopics.exists(config.kafka(), topics.gradients(), timeout)
          ? KafkaTopics.partitions(config.kafka(), topics.gradients(), timeout) - 1 : 0;
      if (reducers > 0 || System.nanoTime() > deadline) {
        return reducers;
      }
      if (!told) {
        log.info("waiting up to {} s for run '{}' to have reducer subtrees", timeout.toSeconds(),
            config.run());
        told = true;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return reducers;
      }
    }
  }

  private void heartbeat(boolean leaving) {
    WorkerHeartbeat hb;
    synchronized (reducer) {
      hb = new WorkerHeartbeat(config.run(), config.reducerId(), WorkerIds.host(),
          ProcessHandle.current().pid(), 0, System.currentTimeMillis(), leaving,
          rejections.byReason(), WorkerHeartbeat.REDUCER, config.subtree());
    }
    kafka.publishHeartbeat(hb);
  }

  /** Completes with the run's last step once the coordinator has finished the run. */
  public CompletableFuture<Long> runFinished() {
    return end.finished().thenApply(m -> m.step());
  }

  /** This reducer's id in its sums and heartbeats. */
  public String reducerId() {
    return config.reducerId();
  }

  /** Subtree sums published so far (re-sends of a lost one included). */
  public long sumsPublished() {
    synchronized (reducer) {
      return reducer.sumsPublished();
    }
  }

  /** Stops the heartbeats, says goodbye and closes the Kafka clients. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeats.shutdownNow();
    try {
      heartbeats.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeat(true);
    end.close();
    kafka.close();
  }
}
